using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using PayByLink.Core.Domain;
using PayByLink.Http.Carrier;
using PayByLink.Core.Telemetry;

namespace PayByLink.Local;

/// <summary>
/// The local runtime's carrier: posts the delivery report the outbox owes for each message, about a second after
/// it, as Azure Communication Services would through Event Grid, into the same handler code the Api app runs. A report
/// is marked posted only after it was handled, so one a stopped runtime owed is posted after it starts again.
/// </summary>
public sealed partial class DevCarrier(TableOutbox outbox, CarrierEvents events, OutageLog outages, TimeProvider clock, ILogger<DevCarrier> logger)
    : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>Events per post: what the Event Grid subscription in infra batches (<c>maxEventsPerBatch</c>).</summary>
    private const int EventsPerPost = 10;

    /// <summary>
    /// Posts under way at once, as Event Grid delivers several batches at once. Each is started as soon as there is
    /// room, never held back by a slow one, so reports keep pace with the senders when storage is busy.
    /// </summary>
    private const int PostsAtOnce = 32;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Reports being posted (long.MaxValue), or posted at a time (Stopwatch ticks): a query begun before one was marked
        // posted may still return it, so it is left out until a query begun after that.
        var posting = new ConcurrentDictionary<string, long>();
        var posts = new List<Task>();
        using var room = new SemaphoreSlim(PostsAtOnce);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                IReadOnlyList<DueReceipt> due = [];
                var queried = Stopwatch.GetTimestamp();
                try
                {
                    due = await outbox.DueReceiptsAsync(2 * PostsAtOnce * EventsPerPost, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    if (!outages.Counted("delivery reports not posted", e))
                    {
                        LogFailed(e);
                    }
                }

                // Oldest first, leaving out those being posted: a report owed since before a restart goes before newer ones.
                var next = due.Where(r => !posting.ContainsKey(r.ReceiptRow)).ToList();
                foreach (var (row, postedAt) in posting)
                {
                    if (postedAt < queried)
                    {
                        posting.TryRemove(row, out _);
                    }
                }

                foreach (var post in next.Chunk(EventsPerPost))
                {
                    await room.WaitAsync(stoppingToken);
                    foreach (var receipt in post)
                    {
                        posting[receipt.ReceiptRow] = long.MaxValue;
                    }

                    posts.RemoveAll(p => p.IsCompleted);
                    posts.Add(PostAsync(post, posting, room, stoppingToken));
                }

                if (next.Count == 0)
                {
                    await Task.Delay(Poll, clock, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(posts);
    }

    /// <summary>Posts one batch of reports and marks them posted; on failure they stay due and are posted again.</summary>
    private async Task PostAsync(DueReceipt[] post, ConcurrentDictionary<string, long> posting, SemaphoreSlim room, CancellationToken stoppingToken)
    {
        var posted = false;
        try
        {
            await events.HandleAsync(BinaryData.FromString(AcsEvents.Json(post.Select(AcsEvents.Report))), stoppingToken);
            await Task.WhenAll(post.Select(r => outbox.MarkPostedAsync(r, stoppingToken)));
            posted = true;
        }
        catch (Exception e)
        {
            // While the host stops, whatever a cut-off post throws is expected: its reports stay due for the next run.
            if (!stoppingToken.IsCancellationRequested && !outages.Counted("delivery reports not posted", e))
            {
                LogFailed(e);
            }
        }
        finally
        {
            var at = Stopwatch.GetTimestamp();
            foreach (var receipt in post)
            {
                if (posted)
                {
                    posting[receipt.ReceiptRow] = at;
                }
                else
                {
                    posting.TryRemove(receipt.ReceiptRow, out _);
                }
            }

            room.Release();
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
