using PayByLink.Core.Domain;

namespace PayByLink.Core.Delivery;

public enum DeliveryStatus
{
    /// <summary>A sender holds this send and is talking to the provider; others wait for it.</summary>
    Sending,

    /// <summary>Tried and failed for a reason worth retrying; another attempt will follow.</summary>
    Retrying,
    Sent,

    /// <summary>Failed for good: a permanent provider error, or out of attempts.</summary>
    Failed,

    /// <summary>Not sent because the request was no longer open (paid, cancelled, expired).</summary>
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
    DateTimeOffset UpdatedAt)
{
    public bool IsFinal => Status is DeliveryStatus.Sent or DeliveryStatus.Failed or DeliveryStatus.Skipped;
}

public enum SendOutcomeKind
{
    Sent,
    Transient,
    Permanent,
}

/// <summary>What a provider said about one send.</summary>
public sealed record SendOutcome(SendOutcomeKind Kind, string? ProviderMessageId, string? ErrorCode, string? Reason)
{
    public static SendOutcome Sent(string providerMessageId) => new(SendOutcomeKind.Sent, providerMessageId, null, null);

    public static SendOutcome Transient(string code, string reason) => new(SendOutcomeKind.Transient, null, code, reason);

    public static SendOutcome Permanent(string code, string reason) => new(SendOutcomeKind.Permanent, null, code, reason);
}

public sealed record SmsToSend(string SendId, string To, string Text);

public sealed record EmailToSend(string SendId, string To, string DisplayName, EmailContent Content);

/// <summary>A provider that delivers SMS. <see cref="SmsToSend.SendId"/> is its idempotency key.</summary>
public interface ISmsSender
{
    Task<SendOutcome> SendAsync(SmsToSend sms, CancellationToken cancellationToken);
}

/// <summary>A provider that delivers email. <see cref="EmailToSend.SendId"/> is its idempotency key.</summary>
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
