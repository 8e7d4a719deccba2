using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Batches;
using PayByLink.Core.Telemetry;

namespace PayByLink.Local;

/// <summary>
/// The local stand-in for the Batch app's blob and queue triggers: watches the upload container for files that
/// land and the batch-process queue for confirmed batches, and hands each to <see cref="ProcessBatchUpload"/>,
/// which processes a batch once however often it is asked. A processed file is emptied and marked retired (so its
/// upload URL cannot write it again), skipped here, and deleted once no upload URL for it can still be alive.
/// </summary>
public sealed partial class BatchWorker(
    StorageClients storage, ProcessBatchUpload process, QueueTriggerSettings trigger, OutageLog outages, TimeProvider clock, ILogger<BatchWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Visibility = TimeSpan.FromMinutes(5);

    /// <summary>Longer than any upload URL lives (the lifecycle policy does this in Azure, after a day).</summary>
    public static readonly TimeSpan RetiredKeptFor = StartBatch.UploadWindow + TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var container = storage.Blobs.GetBlobContainerClient(StorageNames.BatchUploadsContainer);
        var queue = storage.Queues.GetQueueClient(StorageNames.BatchProcessQueue);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, stoppingToken))
                {
                    if (IBatchUploads.IsRetired(blob.Metadata))
                    {
                        await DeleteIfSpentAsync(container, blob, clock.GetUtcNow(), stoppingToken);
                    }
                    else if (Batch.TryParseBlobName(blob.Name, out var merchantId, out var batchId))
                    {
                        await ProcessAsync(merchantId, batchId, stoppingToken);
                    }
                }

                foreach (var message in (await queue.ReceiveMessagesAsync(trigger.BatchSize, Visibility, stoppingToken)).Value)
                {
                    var batch = BatchProcessMessage.Parse(message.Body.ToString());
                    await ProcessAsync(batch.MerchantId, batch.BatchId, stoppingToken);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
                }

                await Task.Delay(PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (!outages.Counted("batch uploads not processed", e))
                {
                    LogFailed(e);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Deletes a processed file's empty stand-in, which keeps its upload URL from writing again, once no upload URL for
    /// it can still be alive and its batch has finished reading the snapshot it is read from (the snapshot is deleted
    /// then); until both, it is kept for a later pass. Whether it was deleted.
    /// </summary>
    public static async Task<bool> DeleteIfSpentAsync(BlobContainerClient container, BlobItem retired, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (retired.Properties.LastModified is not { } modified || modified >= now - RetiredKeptFor)
        {
            return false;
        }

        try
        {
            return await container.DeleteBlobIfExistsAsync(retired.Name, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.SnapshotsPresent)
        {
            return false;
        }
    }

    /// <summary>One batch; a batch that fails is logged and tried again on a later poll, without holding up the others.</summary>
    private async Task ProcessAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await process.ExecuteAsync(merchantId, batchId, cancellationToken);
            if (outcome is ProcessOutcome.Processed or ProcessOutcome.Unreadable)
            {
                LogProcessed(merchantId, batchId, outcome);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (!outages.Counted("batch not processed", e))
            {
                LogBatchFailed(e, merchantId, batchId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {MerchantId}/{BatchId}: {Outcome}")]
    private partial void LogProcessed(string merchantId, string batchId, ProcessOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch {MerchantId}/{BatchId} failed; it is tried again")]
    private partial void LogBatchFailed(Exception exception, string merchantId, string batchId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing batches failed")]
    private partial void LogFailed(Exception exception);
}
