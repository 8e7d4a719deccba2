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

    /// <summary>How many times its link was sent again on request (<c>payment_request.resent</c>).</summary>
    public int Resends { get; init; }

    /// <summary>Who made the request: its created event's actor.</summary>
    public Events.Actor? CreatedBy { get; init; }

    /// <summary>When the customer's personal data was erased from the request; null while it is held.</summary>
    public DateTimeOffset? ErasedAt { get; init; }

    /// <summary>
    /// The request without the customer's personal data: no name, mobile, email, reason or passphrase. What remains is
    /// the merchant's record: references, amounts, plan, status and times.
    /// </summary>
    public PaymentRequest WithoutPersonalData(DateTimeOffset erasedAt) =>
        this with { Content = Content.WithoutPersonalData(), ErasedAt = ErasedAt ?? erasedAt };
}
