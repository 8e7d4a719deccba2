namespace PayByLink.Core.Payments;

/// <summary>A payment the provider's signed callback confirmed.</summary>
public sealed record ConfirmedPayment(
    string EventId,
    string ProviderReference,
    string MerchantId,
    string RequestId,
    int? Instalment,
    decimal Amount,
    string Currency,
    DateTimeOffset PaidAt);
