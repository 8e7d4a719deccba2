using PayByLink.Core.Domain;

namespace PayByLink.Core.Delivery;

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
