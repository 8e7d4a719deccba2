namespace PayByLink.Core.Payments;

/// <summary>Everything the gateway needs to take one payment on its own page.</summary>
public sealed record CheckoutRequest(
    string MerchantId,
    string RequestId,
    string MerchantName,
    string Description,
    AmountDue Due,
    string Reference,
    Uri SuccessUrl,
    Uri CancelUrl,
    DateTimeOffset PayableUntil);
