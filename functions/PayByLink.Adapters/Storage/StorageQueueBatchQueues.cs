using System.Text.Json;
using PayByLink.Core.Batches;

namespace PayByLink.Adapters.Storage;

/// <summary>A batch to process, as a message on the batch-process queue (the Batch app's queue trigger reads it).</summary>
public sealed record BatchProcessMessage(string MerchantId, string BatchId)
{
    public static BatchProcessMessage Parse(string json) =>
        JsonSerializer.Deserialize<BatchProcessMessage>(json, JsonSerializerOptions.Web) ?? throw new JsonException("Empty batch message.");

    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);
}

public sealed class StorageQueueBatchProcessingQueue(StorageClients storage) : IBatchProcessingQueue
{
    public async Task EnqueueAsync(string merchantId, string batchId, TimeSpan delay, CancellationToken cancellationToken) =>
        await storage.Queues.GetQueueClient(StorageNames.BatchProcessQueue)
            .SendMessageAsync(new BatchProcessMessage(merchantId, batchId).ToJson(), visibilityTimeout: delay, cancellationToken: cancellationToken);
}

/// <summary>One chunk of a batch file, as a message on the batch-chunks queue (the Batch app's chunk worker reads it).</summary>
public static class BatchChunkMessage
{
    public static BatchChunkWork Parse(string json) =>
        JsonSerializer.Deserialize<BatchChunkWork>(json, JsonSerializerOptions.Web) ?? throw new JsonException("Empty chunk message.");

    public static string ToJson(BatchChunkWork work) => JsonSerializer.Serialize(work, JsonSerializerOptions.Web);
}

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
