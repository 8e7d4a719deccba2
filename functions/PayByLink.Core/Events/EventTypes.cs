using PayByLink.Core.Batches;
using PayByLink.Core.Domain;

namespace PayByLink.Core.Events;

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
    public const string RequestPaymentRefunded = "payment_request.payment_refunded";

    /// <summary>The link was sent again on a channel, perhaps to a corrected number or address.</summary>
    public const string RequestResent = "payment_request.resent";

    /// <summary>The customer's personal data was erased from the request (at their request, or past its retention).</summary>
    public const string RequestErased = "payment_request.erased";
    public const string BatchProcessing = "batch.processing";
    public const string BatchCompleted = "batch.completed";
    public const string BatchFailed = "batch.failed";
    public const string BatchExpired = "batch.expired";

    /// <summary>A batch started for review was checked and waits for its confirm.</summary>
    public const string BatchAwaitingConfirmation = "batch.awaiting_confirmation";

    /// <summary>A batch was discarded before anything was sent.</summary>
    public const string BatchCancelled = "batch.cancelled";

    /// <summary>Every type, in the order a merchant reads them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        RequestCreated, RequestSent, RequestSendFailed, RequestDelivered, RequestUndeliverable, RequestOpened, RequestPaid, RequestInstalmentPaid, RequestCancelled, RequestExpired,
        RequestFailed, RequestPaymentRefused, RequestPaymentRefunded, RequestResent, RequestErased, BatchProcessing, BatchAwaitingConfirmation, BatchCompleted, BatchFailed, BatchExpired,
        BatchCancelled,
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
        BatchStatus.AwaitingConfirmation => BatchAwaitingConfirmation,
        BatchStatus.Cancelled => BatchCancelled,
        _ => null,
    };
}
