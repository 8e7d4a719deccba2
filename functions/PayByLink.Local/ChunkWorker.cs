using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Batches;
using PayByLink.Core.Telemetry;

namespace PayByLink.Local;

/// <summary>
/// The local stand-in for the Batch app's chunk trigger: <c>Local:ChunkWorkers</c> workers (2 unless set) each take
/// one chunk at a time off the batch-chunks queue and hand it to <see cref="ProcessBatchChunk"/>. A message is hidden
/// while its chunk is worked on (20 seconds, renewed every 7), so the chunk of a worker that died, or of a runtime that
/// was killed, comes back within 20 seconds and is carried on from its checkpoint. As the Functions host does with the
/// Batch app's host.json: a chunk that fails comes back after its visibility timeout, and one that fails its maximum
/// dequeue count moves to the poison queue.
/// </summary>
public sealed partial class ChunkWorker(
    StorageClients storage, ProcessBatchChunk process, int workers, QueueTriggerSettings trigger, OutageLog outages, TimeProvider clock,
    ILogger<ChunkWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan InHand = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan IdlePause = TimeSpan.FromMilliseconds(300);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = storage.Queues.GetQueueClient(StorageNames.BatchChunksQueue);
        return Task.WhenAll(Enumerable.Range(0, Math.Max(1, workers)).Select(_ => WorkAsync(queue, stoppingToken)));
    }

    private async Task WorkAsync(QueueClient queue, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if ((await queue.ReceiveMessageAsync(InHand, stoppingToken)).Value is not { } message)
                {
                    await Task.Delay(IdlePause, clock, stoppingToken);
                    continue;
                }

                await HandleAsync(queue, message, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (!outages.Counted("queue batch-chunks unreadable", e))
                {
                    LogQueueError(e);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task HandleAsync(QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        BatchChunkWork work;
        try
        {
            work = BatchChunkMessage.Parse(message.Body.ToString());
        }
        catch (System.Text.Json.JsonException)
        {
            LogUnreadable(message.MessageId);
            await storage.Queues.GetQueueClient(StorageNames.BatchChunksQueue + StorageNames.PoisonSuffix).SendMessageAsync(message.Body.ToString(), cancellationToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            return;
        }

        await using var hidden = new HiddenMessage(queue, message, InHand, clock, cancellationToken);
        try
        {
            var outcome = await process.ExecuteAsync(work, cancellationToken);
            await hidden.DisposeAsync();
            await queue.DeleteMessageAsync(message.MessageId, hidden.Receipt, cancellationToken);
            if (outcome == ChunkOutcome.Written)
            {
                LogWritten(work.MerchantId, work.BatchId, work.Chunk);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The message comes back after the visibility timeout, and the chunk is carried on from its checkpoint then.
            if (!outages.Counted("batch chunk not written", e))
            {
                LogChunkFailed(e, work.MerchantId, work.BatchId, work.Chunk);
            }

            await hidden.DisposeAsync();
            if (message.DequeueCount >= trigger.MaxDequeueCount)
            {
                await storage.Queues.GetQueueClient(StorageNames.BatchChunksQueue + StorageNames.PoisonSuffix)
                    .SendMessageAsync(message.Body.ToString(), CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, hidden.Receipt, CancellationToken.None);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, hidden.Receipt, visibilityTimeout: trigger.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {MerchantId}/{BatchId}: chunk {Chunk} written")]
    private partial void LogWritten(string merchantId, string batchId, int chunk);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch {MerchantId}/{BatchId}: chunk {Chunk} failed; it is tried again")]
    private partial void LogChunkFailed(Exception exception, string merchantId, string batchId, int chunk);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} on batch-chunks is not a chunk; moved to the poison queue")]
    private partial void LogUnreadable(string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the batch-chunks queue failed")]
    private partial void LogQueueError(Exception exception);
}
