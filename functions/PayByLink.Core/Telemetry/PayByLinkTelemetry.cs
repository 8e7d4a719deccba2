using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PayByLink.Core.Telemetry;

/// <summary>
/// The suite's traces and metrics. A send message carries the trace of the create (or timer run, or batch) that
/// published it, so one trace follows a request from its HTTP call through the queue to each delivery.
/// </summary>
public static class PayByLinkTelemetry
{
    public const string Name = "PayByLink";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> RequestsCreated =
        Meter.CreateCounter<long>("paybylink.requests.created", description: "Payment requests created");

    public static readonly Counter<long> Sends =
        Meter.CreateCounter<long>("paybylink.sends", description: "Sends that reached a final outcome, by channel and outcome");

    public static readonly Counter<long> BatchRecords =
        Meter.CreateCounter<long>("paybylink.batch.records", description: "Batch records read, by outcome");

    /// <summary>The current trace as a W3C traceparent, for a message to carry.</summary>
    public static string? CurrentTraceParent => Activity.Current?.Id;
}
