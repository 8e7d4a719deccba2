namespace PayByLink.Core.Domain;

/// <summary>A payment request of one merchant, with the links that open its payment page.</summary>
public sealed record PaymentRequest(
    string MerchantId,
    string RequestId,
    PaymentRequestContent Content,
    PaymentRequestStatus Status,
    string ShortCode,
    string PaymentToken,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    BatchLineRef? Batch = null)
{
    public string ClientTransactionRef => Content.ClientTransactionRef;

    /// <summary>How many events the request has: the sequence number of its latest.</summary>
    public int EventCount { get; init; }
}
