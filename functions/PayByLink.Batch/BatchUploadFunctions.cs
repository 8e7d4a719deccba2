using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using PayByLink.Adapters;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Batches;

namespace PayByLink.Batch;

/// <summary>
/// Starts processing a batch when its file lands (blob trigger through Event Grid) or when its merchant confirms it
/// (batch-process queue), whichever comes first; the use case makes sure it happens once, and queues the file's
/// chunks, which the chunk workers (batch-chunks queue) turn into requests on as many instances as the queue needs.
/// </summary>
public sealed class BatchUploadFunctions(ProcessBatchUpload process, ProcessBatchChunk processChunk)
{
    [Function("ProcessUploadedBatch")]
    public async Task OnUpload(
        [BlobTrigger(StorageNames.BatchUploadsContainer + "/{name}", Source = BlobTriggerSource.EventGrid,
            Connection = PayByLinkServices.StorageConnection)] BlobClient blob,
        CancellationToken cancellationToken)
    {
        if (Core.Batches.Batch.TryParseBlobName(blob.Name, out var merchantId, out var batchId))
        {
            await process.ExecuteAsync(merchantId, batchId, cancellationToken);
        }
    }

    [Function("ProcessConfirmedBatch")]
    public Task OnConfirm(
        [QueueTrigger(StorageNames.BatchProcessQueue, Connection = PayByLinkServices.StorageConnection)] string message,
        CancellationToken cancellationToken)
    {
        var batch = BatchProcessMessage.Parse(message);
        return process.ExecuteAsync(batch.MerchantId, batch.BatchId, cancellationToken);
    }

    /// <summary>
    /// One chunk of a checked file. The host keeps the message hidden while it runs; if the instance dies, the message
    /// comes back and the next worker carries on from the chunk's checkpoint.
    /// </summary>
    [Function("ProcessBatchChunk")]
    public Task OnChunk(
        [QueueTrigger(StorageNames.BatchChunksQueue, Connection = PayByLinkServices.StorageConnection)] string message,
        CancellationToken cancellationToken) =>
        processChunk.ExecuteAsync(BatchChunkMessage.Parse(message), cancellationToken);
}
