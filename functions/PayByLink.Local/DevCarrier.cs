using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Domain;
using PayByLink.Http.Carrier;

namespace PayByLink.Local;

/// <summary>
/// The local runtime's carrier: posts the delivery report the outbox owes for each message, about a second after
/// it, as Azure Communication Services would through Event Grid, into the same handler code the Api app runs. A report
/// is marked posted only after it was handled, so one a stopped runtime owed is posted after it starts again.
/// </summary>
public sealed partial class DevCarrier(TableOutbox outbox, CarrierEvents events, ILogger<DevCarrier> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>Events per post: what the Event Grid subscription in infra batches (<c>maxEventsPerBatch</c>).</summary>
    private const int EventsPerPost = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await outbox.DueReceiptsAsync(100, stoppingToken);
                if (due.Count > 0)
                {
                    // As Event Grid delivers (the subscription's batches of 10 events), several posts at once.
                    await Task.WhenAll(due.Chunk(EventsPerPost).Select(async post =>
                    {
                        await events.HandleAsync(BinaryData.FromString(AcsEvents.Json(post.Select(AcsEvents.Report))), stoppingToken);
                        await Task.WhenAll(post.Select(r => outbox.MarkPostedAsync(r, stoppingToken)));
                    }));
                    continue;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(e);
            }

            try
            {
                await Task.Delay(Poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Posting delivery reports failed; trying again")]
    private partial void LogFailed(Exception exception);
}

/// <summary>
/// Azure Communication Services events in the Event Grid schema, as ACS sends them: what the local carrier posts, and
/// what a test can post to <c>/api/acs/events</c>.
/// </summary>
public static class AcsEvents
{
    private const string Topic = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Communication/communicationServices/local";

    public static string Json(IEnumerable<JsonObject> events) => new JsonArray(events.Select(e => e.DeepClone()).ToArray()).ToJsonString();

    /// <summary>The delivery report the outbox owes for a message.</summary>
    public static JsonObject Report(DueReceipt r) => r.Channel == Channel.Sms
        ? SmsReport(r.Reference, TableOutbox.SenderNumber, r.Recipient, r.CarrierStatus, r.Detail, r.DueAt)
        : EmailReport(r.Reference, r.Recipient, r.CarrierStatus, r.Detail, r.DueAt);

    public static JsonObject SmsReport(string tag, string from, string to, string status, string? detail, DateTimeOffset at) =>
        Event("Microsoft.Communication.SMSDeliveryReportReceived", $"phonenumber/{from}", at, new JsonObject
        {
            ["messageId"] = "Outgoing_" + Guid.NewGuid().ToString("N"),
            ["from"] = from,
            ["to"] = to,
            ["deliveryStatus"] = status,
            ["deliveryStatusDetails"] = detail,
            ["deliveryAttempts"] = new JsonArray(new JsonObject { ["timestamp"] = at, ["segmentsSucceeded"] = status == "Delivered" ? 1 : 0, ["segmentsFailed"] = status == "Delivered" ? 0 : 1 }),
            ["receivedTimestamp"] = at,
            ["tag"] = tag,
        });

    public static JsonObject EmailReport(string operationId, string recipient, string status, string? detail, DateTimeOffset at) =>
        Event("Microsoft.Communication.EmailDeliveryReportReceived", $"sender/DoNotReply@local/message/{operationId}", at, new JsonObject
        {
            ["sender"] = "DoNotReply@local",
            ["recipient"] = recipient,
            ["messageId"] = operationId,
            ["status"] = status,
            ["deliveryStatusDetails"] = new JsonObject { ["statusMessage"] = detail },
            ["deliveryAttemptTimestamp"] = at,
        });

    public static JsonObject InboundSms(string from, string to, string message, DateTimeOffset at) =>
        Event("Microsoft.Communication.SMSReceived", $"phonenumber/{to}", at, new JsonObject
        {
            ["messageId"] = "Incoming_" + Guid.NewGuid().ToString("N"),
            ["from"] = from,
            ["to"] = to,
            ["message"] = message,
            ["receivedTimestamp"] = at,
        });

    private static JsonObject Event(string type, string subject, DateTimeOffset at, JsonObject data) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["topic"] = Topic,
        ["subject"] = subject,
        ["data"] = data,
        ["eventType"] = type,
        ["dataVersion"] = "1.0",
        ["metadataVersion"] = "1",
        ["eventTime"] = at,
    };
}
