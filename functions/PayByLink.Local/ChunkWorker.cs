using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Batches;
using PayByLink.Core.Telemetry;

namespace PayByLink.Local;

/// <summary>
/// The local stand-in for the Batch app's chunk trigger: <c>Local:ChunkWorkers</c> workers (2 unless set) each take
/// one chunk at a time off the batch-chunks queue and hand it to <see cref="ProcessBatchChunk"/>. A message is hidden
/// while its chunk is worked on (20 seconds, renewed every 7), so the chunk of a worker that died, or of a runtime that
/// was killed, comes back within 20 seconds and is carried on from its checkpoint; one that fails comes back then too.
/// </summary>
public sealed partial class ChunkWorker(StorageClients storage, ProcessBatchChunk process, int workers, OutageLog outages, ILogger<ChunkWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(20);
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
                if ((await queue.ReceiveMessageAsync(Visibility, stoppingToken)).Value is not { } message)
                {
                    await Task.Delay(IdlePause, stoppingToken);
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

                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
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

        await using var hidden = new HiddenMessage(queue, message, Visibility, cancellationToken);
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
            // The message comes back when its visibility ends, and the chunk is carried on from its checkpoint then.
            if (!outages.Counted("batch chunk not written", e))
            {
                LogChunkFailed(e, work.MerchantId, work.BatchId, work.Chunk);
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
