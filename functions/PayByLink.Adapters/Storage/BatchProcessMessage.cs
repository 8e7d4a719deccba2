using PayByLink.Core.Ports;
using System.Text.Json;

namespace PayByLink.Adapters.Storage;

/// <summary>A batch to process, as a message on the batch-process queue (the Batch app's queue trigger reads it).</summary>
public sealed record BatchProcessMessage(string MerchantId, string BatchId)
{
    public static BatchProcessMessage Parse(string json) =>
        JsonSerializer.Deserialize<BatchProcessMessage>(json, StoredJson.Options) ?? throw new JsonException("Empty batch message.");

    public string ToJson() => JsonSerializer.Serialize(this, StoredJson.Options);
}
