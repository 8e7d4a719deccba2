namespace PayByLink.Core.Payments;

/// <summary>A checkout the provider opened: where the customer goes, and the provider's id for it (to close it).</summary>
public sealed record CheckoutSession(Uri Url, string Id);
