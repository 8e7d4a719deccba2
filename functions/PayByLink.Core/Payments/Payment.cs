using PayByLink.Core.Domain;

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
    DateTimeOffset PaidAt);

/// <summary>What the customer is asked to pay now: the whole amount, or the first unpaid instalment of a plan.</summary>
public sealed record AmountDue(int? Instalment, decimal Amount, string Currency, DateOnly? DueDate)
{
    /// <summary>The amount due on a request given what it has been paid; null when nothing is left to pay.</summary>
    public static AmountDue? For(PaymentRequest request, IReadOnlyList<Payment> payments)
    {
        var content = request.Content;
        if (content.RepaymentPlan is not { } plan)
        {
            return payments.Count > 0 ? null : new AmountDue(null, content.Amount, content.Currency, null);
        }

        var paid = payments.Select(p => p.Instalment).ToHashSet();
        var next = plan.Schedule(content.Amount, Domain.Currency.Find(content.Currency)).FirstOrDefault(i => !paid.Contains(i.Number));
        return next is null ? null : new AmountDue(next.Number, next.Amount, content.Currency, next.DueDate);
    }
}

/// <summary>Everything the gateway needs to take one payment on its own page.</summary>
public sealed record CheckoutRequest(
    string MerchantId,
    string RequestId,
    string MerchantName,
    string Description,
    AmountDue Due,
    string Reference,
    Uri SuccessUrl,
    Uri CancelUrl);

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

public enum CallbackVerdict
{
    /// <summary>Signed, fresh, and a payment.</summary>
    Confirmed,

    /// <summary>Signed and fresh, but not a completed payment (a decline, an event of no interest).</summary>
    Ignored,

    /// <summary>Unsigned, forged, stale or unreadable: nothing changes.</summary>
    Rejected,
}

public sealed record CallbackResult(CallbackVerdict Verdict, ConfirmedPayment? Payment, string? Reason)
{
    public static CallbackResult Rejected(string reason) => new(CallbackVerdict.Rejected, null, reason);

    public static CallbackResult Ignored(string reason) => new(CallbackVerdict.Ignored, null, reason);

    public static CallbackResult Confirmed(ConfirmedPayment payment) => new(CallbackVerdict.Confirmed, payment, null);
}

/// <summary>A payment service provider: its hosted checkout page, and its signed callbacks.</summary>
public interface IPaymentGateway
{
    /// <summary>The provider's name in callback URLs and payment records (<c>test</c>, <c>stripe</c>).</summary>
    string Name { get; }

    /// <summary>Where the payment page's form leads the browser, for the page's Content Security Policy.</summary>
    string CheckoutOrigin { get; }

    /// <summary>Opens a checkout for the amount due; the URL to send the customer to.</summary>
    Task<Uri> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken);

    /// <summary>Verifies a callback's signature and freshness and reads it.</summary>
    CallbackResult ReadCallback(string body, Func<string, string?> header, DateTimeOffset now);
}

public enum PaymentRecordOutcome
{
    Added,

    /// <summary>The same provider payment was recorded before (a replayed callback).</summary>
    Replayed,

    /// <summary>This amount was already paid by another payment: refused, and the provider's payment needs a refund.</summary>
    AlreadyPaid,
}

public interface IPaymentStore
{
    /// <summary>Records the payment of its amount due, once: the first payment of a request (or instalment) wins.</summary>
    Task<PaymentRecordOutcome> TryAddAsync(Payment payment, CancellationToken cancellationToken);

    Task<IReadOnlyList<Payment>> ListAsync(string merchantId, string requestId, CancellationToken cancellationToken);
}
