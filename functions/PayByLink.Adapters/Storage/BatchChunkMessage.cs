using PayByLink.Core.Ports;
using System.Text.Json;
using PayByLink.Core.Batches;

namespace PayByLink.Adapters.Storage;

/// <summary>One chunk of a batch file, as a message on the batch-chunks queue (the Batch app's chunk worker reads it).</summary>
public static class BatchChunkMessage
{
    public static BatchChunkWork Parse(string json) =>
        JsonSerializer.Deserialize<BatchChunkWork>(json, StoredJson.Options) ?? throw new JsonException("Empty chunk message.");

    public static string ToJson(BatchChunkWork work) => JsonSerializer.Serialize(work, StoredJson.Options);
}
