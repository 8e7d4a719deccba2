using PayByLink.Core.Batches;

namespace PayByLink.Adapters.Storage;

/// <summary>Queues chunks for the chunk workers (Storage Queues take one message a request: they go 16 at a time).</summary>
public sealed class StorageQueueBatchChunkQueue(StorageClients storage) : IBatchChunkQueue
{
    public async Task EnqueueAsync(IReadOnlyList<BatchChunkWork> work, CancellationToken cancellationToken)
    {
        var queue = storage.Queues.GetQueueClient(StorageNames.BatchChunksQueue);
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (item, ct) => await queue.SendMessageAsync(BatchChunkMessage.ToJson(item), ct));
    }
}
