using PayByLink.Core.Batches;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Payments;

namespace PayByLink.Core.Events;

/// <summary>
/// One change of a payment request or a batch, stored with the change itself (in the same transaction), numbered
/// 1, 2, 3… per request or batch. Its id is made of the two, so it is the same however often it is read or sent.
/// </summary>
public sealed record DomainEvent(string MerchantId, string SubjectId, int Sequence, string Type, DateTimeOffset CreatedAt, EventData Data)
{
    public string EventId => EventIds.For(SubjectId, Sequence);
}

/// <summary>
/// What the event shows: the request as it stood after the change, with the send or payment the event is about;
/// or the batch with its counts.
/// </summary>
public sealed record EventData(
    PaymentRequest? Request = null,
    DeliveryRecord? Delivery = null,
    Payment? Payment = null,
    Batch? Batch = null,
    BatchCounts? Counts = null);

public static class EventTypes
{
    public const string RequestCreated = "payment_request.created";
    public const string RequestSent = "payment_request.sent";
    public const string RequestSendFailed = "payment_request.send_failed";
    public const string RequestDelivered = "payment_request.delivered";
    public const string RequestUndeliverable = "payment_request.undeliverable";
    public const string RequestOpened = "payment_request.opened";
    public const string RequestPaid = "payment_request.paid";
    public const string RequestInstalmentPaid = "payment_request.instalment_paid";
    public const string RequestCancelled = "payment_request.cancelled";
    public const string RequestExpired = "payment_request.expired";
    public const string RequestFailed = "payment_request.failed";
    public const string RequestPaymentRefused = "payment_request.payment_refused";
    public const string BatchProcessing = "batch.processing";
    public const string BatchCompleted = "batch.completed";
    public const string BatchFailed = "batch.failed";
    public const string BatchExpired = "batch.expired";

    /// <summary>Every type, in the order a merchant reads them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        RequestCreated, RequestSent, RequestSendFailed, RequestDelivered, RequestUndeliverable, RequestOpened, RequestPaid, RequestInstalmentPaid, RequestCancelled, RequestExpired,
        RequestFailed, RequestPaymentRefused, BatchProcessing, BatchCompleted, BatchFailed, BatchExpired,
    ];

    /// <summary>The event a request's move to <paramref name="status"/> makes.</summary>
    public static string ForStatus(PaymentRequestStatus status) => status switch
    {
        PaymentRequestStatus.Sent => RequestSent,
        PaymentRequestStatus.Opened => RequestOpened,
        PaymentRequestStatus.Paid => RequestPaid,
        PaymentRequestStatus.Cancelled => RequestCancelled,
        PaymentRequestStatus.Expired => RequestExpired,
        PaymentRequestStatus.Failed => RequestFailed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No request moves back to Pending."),
    };

    /// <summary>The event a batch's move to <paramref name="status"/> makes, if any.</summary>
    public static string? ForStatus(BatchStatus status) => status switch
    {
        BatchStatus.Processing => BatchProcessing,
        BatchStatus.Completed or BatchStatus.CompletedWithErrors => BatchCompleted,
        BatchStatus.Failed => BatchFailed,
        BatchStatus.Expired => BatchExpired,
        _ => null,
    };
}

/// <summary>
/// A request's first event, <c>payment_request.created</c>: the request as it was created. It is not written
/// apart: the request's own row is its record (what a request was created with never changes, and it was
/// Pending, updated when created), so it is read from that row and is the same however often it is read.
/// </summary>
public static class RequestCreated
{
    public static DomainEvent Event(PaymentRequest request) =>
        new(request.MerchantId, request.RequestId, 1, EventTypes.RequestCreated, request.CreatedAt,
            new EventData(Request: request with { Status = PaymentRequestStatus.Pending, UpdatedAt = request.CreatedAt, EventCount = 1 }));
}

/// <summary>Event ids: <c>evt_{requestId or batchId}_{sequence}</c>.</summary>
public static class EventIds
{
    private const string Prefix = "evt_";

    public static string For(string subjectId, int sequence) => $"{Prefix}{subjectId}_{sequence}";

    public static bool TryParse(string? eventId, out string subjectId, out int sequence)
    {
        subjectId = "";
        sequence = 0;
        if (eventId is null || !eventId.StartsWith(Prefix, StringComparison.Ordinal) || eventId.Length > 100)
        {
            return false;
        }

        var at = eventId.LastIndexOf('_');
        if (at <= Prefix.Length || !int.TryParse(eventId.AsSpan(at + 1), System.Globalization.NumberStyles.None, null, out sequence) || sequence < 1)
        {
            return false;
        }

        subjectId = eventId[Prefix.Length..at];
        return IsRequest(subjectId) || IsBatch(subjectId);
    }

    public static bool IsRequest(string subjectId) => subjectId.StartsWith("pr_", StringComparison.Ordinal);

    public static bool IsBatch(string subjectId) => subjectId.StartsWith("b_", StringComparison.Ordinal);
}

/// <summary>The events of each request and batch, oldest first, as stored with their changes.</summary>
public interface IEventLog
{
    /// <summary>The events of one request or batch of the merchant, oldest first (none when it is not theirs).</summary>
    Task<IReadOnlyList<DomainEvent>> ListAsync(string merchantId, string subjectId, CancellationToken cancellationToken);
}

/// <summary>What happened to a request or batch: the events just stored, and the request as it now stands.</summary>
/// <remarks>
/// Published after the change is stored, and again (with no new events) by any repeat that finds the change made,
/// so a consumer that a crash kept from hearing of a change hears of it from the repeat. Consumers are idempotent.
/// </remarks>
public sealed record Change(string MerchantId, string SubjectId, IReadOnlyList<DomainEvent> Events, PaymentRequest? Request = null);

/// <summary>A feature that acts on changes: batch tallies, webhooks.</summary>
public interface IChangeConsumer
{
    Task OnChangeAsync(Change change, CancellationToken cancellationToken);
}

/// <summary>
/// Hands each change to every consumer, in turn. The consumers are found on first use: a consumer may itself make
/// changes (a batch's last line completes the batch), so they are not needed to build the publisher.
/// </summary>
public sealed class ChangePublisher(Func<IEnumerable<IChangeConsumer>> consumers)
{
    private readonly Lazy<IChangeConsumer[]> _consumers = new(() => consumers().ToArray());

    public async Task PublishAsync(Change change, CancellationToken cancellationToken)
    {
        foreach (var consumer in _consumers.Value)
        {
            await consumer.OnChangeAsync(change, cancellationToken);
        }
    }
}
