using PayByLink.Core.Domain;

namespace PayByLink.Core.Delivery;

public enum DeliveryStatus
{
    /// <summary>A sender holds this send and is talking to the provider; others wait for it.</summary>
    Sending,

    /// <summary>Tried and failed for a reason worth retrying; another attempt will follow.</summary>
    Retrying,

    /// <summary>The provider accepted it; the carrier's receipt has not come yet.</summary>
    Sent,

    /// <summary>The carrier's receipt says it reached the customer. Nothing later takes it back.</summary>
    Delivered,

    /// <summary>The carrier's receipt says it did not reach the customer (unknown number, bounced mailbox).</summary>
    Undeliverable,

    /// <summary>Failed for good: a permanent provider error, or out of attempts.</summary>
    Failed,

    /// <summary>
    /// Not sent: the request was no longer open (paid, cancelled, expired), or the recipient opted out (error code
    /// <c>opted_out</c>).
    /// </summary>
    Skipped,
}

/// <summary>The record of one send: written after every attempt, read before every attempt.</summary>
public sealed record DeliveryRecord(
    string SendId,
    string MerchantId,
    string RequestId,
    Channel Channel,
    string Purpose,
    DeliveryStatus Status,
    int Attempts,
    string? Recipient,
    string? ProviderMessageId,
    string? ErrorCode,
    string? ErrorReason,
    DateTimeOffset UpdatedAt,
    DeliveryReceipt? Receipt = null)
{
    /// <summary>Whether this send is over for the sender: nothing is to be sent for it again.</summary>
    public bool IsFinal => Status is DeliveryStatus.Sent or DeliveryStatus.Delivered or DeliveryStatus.Undeliverable or DeliveryStatus.Failed
        or DeliveryStatus.Skipped;

    /// <summary>The error code of a send skipped because its recipient opted out.</summary>
    public const string OptedOut = "opted_out";
}

/// <summary>
/// What a carrier said became of a message: delivered or not, in its own words (<see cref="CarrierStatus"/>, such as
/// <c>Delivered</c>, <c>Failed</c> or <c>Bounced</c>, and <see cref="Detail"/>), and when.
/// </summary>
public sealed record DeliveryReceipt(bool Delivered, string CarrierStatus, string? Detail, DateTimeOffset At);

public enum SendOutcomeKind
{
    Sent,
    Transient,

    /// <summary>The provider refused the send for its rate (429): try again after <see cref="SendOutcome.RetryAfter"/>, no attempt spent.</summary>
    Throttled,
    Permanent,
}

/// <summary>What a provider said about one send.</summary>
public sealed record SendOutcome(SendOutcomeKind Kind, string? ProviderMessageId, string? ErrorCode, string? Reason)
{
    /// <summary>When a throttled send may go again.</summary>
    public TimeSpan RetryAfter { get; init; }

    public static SendOutcome Throttled(string code, TimeSpan retryAfter) =>
        new(SendOutcomeKind.Throttled, null, code, $"The provider asked for fewer messages a second; retried after {retryAfter.TotalSeconds:0.#} s.") { RetryAfter = retryAfter };

    public static SendOutcome Sent(string providerMessageId) => new(SendOutcomeKind.Sent, providerMessageId, null, null);

    public static SendOutcome Transient(string code, string reason) => new(SendOutcomeKind.Transient, null, code, reason);

    public static SendOutcome Permanent(string code, string reason) => new(SendOutcomeKind.Permanent, null, code, reason);
}

/// <summary>An SMS to send; <see cref="Tag"/> goes with it to the provider and comes back on its delivery report.</summary>
public sealed record SmsToSend(string SendId, string To, string Text, string Tag);

/// <summary>
/// An email to send. <see cref="OperationId"/> is the provider's idempotency key and comes back on its delivery
/// report; <see cref="UnsubscribeUrl"/> goes in its <c>List-Unsubscribe</c> header (RFC 8058 one-click).
/// </summary>
public sealed record EmailToSend(string SendId, string To, string DisplayName, EmailContent Content, string OperationId, Uri UnsubscribeUrl)
{
    /// <summary>The headers every email carries: one-click unsubscribe (RFC 2369 and RFC 8058).</summary>
    public IReadOnlyDictionary<string, string> Headers => new Dictionary<string, string>
    {
        ["List-Unsubscribe"] = $"<{UnsubscribeUrl.AbsoluteUri}>",
        ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
    };
}

/// <summary>A provider that delivers SMS, from one sender number (<see cref="From"/>), which customers reply to.</summary>
public interface ISmsSender
{
    string From { get; }

    Task<SendOutcome> SendAsync(SmsToSend sms, CancellationToken cancellationToken);
}

/// <summary>A provider that delivers email. <see cref="EmailToSend.OperationId"/> is its idempotency key.</summary>
public interface IEmailSender
{
    Task<SendOutcome> SendAsync(EmailToSend email, CancellationToken cancellationToken);
}

public interface IDeliveryStore
{
    Task<Versioned<DeliveryRecord>?> FindAsync(string merchantId, string requestId, string sendId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the record if the stored one is still at <paramref name="version"/> (null: if none is stored yet).
    /// Returns the new version, or null when another writer got there first.
    /// </summary>
    Task<string?> TrySaveAsync(DeliveryRecord record, string? version, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryRecord>> ListAsync(string merchantId, string requestId, CancellationToken cancellationToken);
}
