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
