using System.Text.Json.Nodes;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// What the Functions host does with a Storage queue trigger's messages, as the Batch app's <c>host.json</c> says
/// (<c>extensions.queues</c>): how many it takes at once (<see cref="BatchSize"/>, more when those in hand fall to
/// <see cref="NewBatchThreshold"/>), after how many failed deliveries a message goes to the poison queue
/// (<see cref="MaxDequeueCount"/>), and how long a failed message stays hidden before it comes back
/// (<see cref="VisibilityTimeout"/>). The local runtime's queue workers read the same file, so they do as Azure does.
/// </summary>
public sealed record QueueTriggerSettings(int BatchSize, int NewBatchThreshold, int MaxDequeueCount, TimeSpan VisibilityTimeout)
{
    /// <summary>The name the Batch app's host.json is embedded under where it is read.</summary>
    public const string BatchHostJson = "PayByLink.Batch.host.json";

    /// <summary>The Functions host's own defaults, for a setting host.json leaves out.</summary>
    public static readonly QueueTriggerSettings HostDefaults = new(16, 8, 5, TimeSpan.Zero);

    public static QueueTriggerSettings FromHostJson(Stream hostJson)
    {
        var queues = JsonNode.Parse(hostJson)?["extensions"]?["queues"];
        var d = HostDefaults;
        return new QueueTriggerSettings(
            queues?["batchSize"]?.GetValue<int>() ?? d.BatchSize,
            queues?["newBatchThreshold"]?.GetValue<int>() ?? d.NewBatchThreshold,
            queues?["maxDequeueCount"]?.GetValue<int>() ?? d.MaxDequeueCount,
            queues?["visibilityTimeout"]?.GetValue<string>() is { } visibility ? TimeSpan.Parse(visibility, System.Globalization.CultureInfo.InvariantCulture) : d.VisibilityTimeout);
    }

    /// <summary>The most messages one trigger works on at once: a batch, and the next fetched when it falls to the threshold.</summary>
    public int MaxConcurrent => BatchSize + NewBatchThreshold;
}
