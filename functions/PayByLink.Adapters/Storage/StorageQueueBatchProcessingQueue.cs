using PayByLink.Core.Batches;

namespace PayByLink.Adapters.Storage;

public sealed class StorageQueueBatchProcessingQueue(StorageClients storage) : IBatchProcessingQueue
{
    public async Task EnqueueAsync(string merchantId, string batchId, TimeSpan delay, CancellationToken cancellationToken) =>
        await storage.Queues.GetQueueClient(StorageNames.BatchProcessQueue)
            .SendMessageAsync(new BatchProcessMessage(merchantId, batchId).ToJson(), visibilityTimeout: delay, cancellationToken: cancellationToken);
}
