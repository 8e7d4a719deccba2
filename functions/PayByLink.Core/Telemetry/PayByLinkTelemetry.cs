using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PayByLink.Core.Telemetry;

/// <summary>
/// The suite's traces and metrics. A send message carries the trace of the create (or timer run, or batch) that
/// published it, so one trace follows a request from its HTTP call through the queue to each delivery.
/// </summary>
public static partial class PayByLinkTelemetry
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

    /// <summary>
    /// A provider's own words on a failure, kept only in the trace and with anything that could be a phone number or
    /// an email address masked: merchants and logs get the code and a fixed text instead.
    /// </summary>
    public static void ProviderError(string code, int? httpStatus, string? detail) =>
        Activity.Current?.AddEvent(new ActivityEvent("provider.error", tags: new ActivityTagsCollection
        {
            ["provider.error.code"] = code,
            ["http.response.status_code"] = httpStatus,
            ["provider.error.detail"] = Redact(detail),
        }));

    /// <summary>Free text with digit runs (phone numbers, card-like numbers) and email addresses masked.</summary>
    public static string Redact(string? text) =>
        text is null ? "" : EmailAddresses().Replace(DigitRuns().Replace(text, "***"), "***@***");

    [System.Text.RegularExpressions.GeneratedRegex(@"\+?\d[\d \-.]{3,}\d")]
    private static partial System.Text.RegularExpressions.Regex DigitRuns();

    [System.Text.RegularExpressions.GeneratedRegex(@"[^\s@<>()""']+@[^\s@<>()""']+")]
    private static partial System.Text.RegularExpressions.Regex EmailAddresses();
}
