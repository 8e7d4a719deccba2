namespace PayByLink.Core.Domain;

/// <summary>A request for payment as the merchant asked for it, validated and normalised.</summary>
public sealed record PaymentRequestContent(
    string ClientTransactionRef,
    decimal Amount,
    string Currency,
    string AccountReference,
    string? Reason,
    string? Passphrase,
    Customer Customer,
    IReadOnlyList<Channel> Channels,
    DateTimeOffset ExpiresAt,
    RepaymentPlan? RepaymentPlan,
    Reminders? Reminders,
    string Fingerprint)
{
    /// <summary>The content without the customer's personal data (<see cref="PaymentRequest.WithoutPersonalData"/>).</summary>
    public PaymentRequestContent WithoutPersonalData() =>
        this with { Customer = new Customer(null, "", "", null, null), Reason = null, Passphrase = null };
}
