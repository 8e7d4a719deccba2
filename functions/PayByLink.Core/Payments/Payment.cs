namespace PayByLink.Core.Payments;

/// <summary>
/// Money the provider confirmed for one request: the whole amount, or one instalment of a plan. Card details
/// never reach this system; the provider's reference is what ties the payment to its records.
/// </summary>
public sealed record Payment(
    string MerchantId,
    string RequestId,
    int? Instalment,
    decimal Amount,
    string Currency,
    string Provider,
    string ProviderReference,
    DateTimeOffset PaidAt)
{
    /// <summary>The provider's id for the refund of a payment that arrived after its request closed.</summary>
    public string? RefundReference { get; init; }
}
