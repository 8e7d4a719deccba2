using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Payments;

namespace PayByLink.Http.PaymentRequests;

/// <summary>One payment request as the API shows it.</summary>
public sealed record PaymentRequestView(
    string RequestId,
    string ClientTransactionRef,
    string Status,
    decimal Amount,
    string Currency,
    string AccountReference,
    string? Reason,
    string? Passphrase,
    CustomerView Customer,
    IReadOnlyList<string> Channels,
    string LongUrl,
    string ShortUrl,
    DateTime ExpiresAt,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    RepaymentPlanView? RepaymentPlan,
    RemindersView? Reminders,
    IReadOnlyList<DeliveryView> Deliveries,
    IReadOnlyList<PaymentView> Payments,
    BatchLineView? Batch)
{
    public static PaymentRequestView From(PaymentRequest request, PaymentLinks links, IReadOnlyList<DeliveryRecord>? deliveries = null,
        IReadOnlyList<Payment>? payments = null)
    {
        var c = request.Content;
        return new PaymentRequestView(
            request.RequestId, c.ClientTransactionRef, request.Status.ToString(), Core.Domain.Currency.WithMinorDigits(c.Amount, c.Currency), c.Currency,
            c.AccountReference,
            c.Reason, c.Passphrase,
            new CustomerView(c.Customer.Title, c.Customer.FirstName, c.Customer.LastName, c.Customer.MobileNumber, c.Customer.Email),
            c.Channels.Select(ch => ch.Name()).ToList(),
            links.LongUrl(request.PaymentToken), links.ShortUrl(request.ShortCode),
            c.ExpiresAt.UtcDateTime, request.CreatedAt.UtcDateTime, request.UpdatedAt.UtcDateTime,
            c.RepaymentPlan is { } plan ? RepaymentPlanView.From(plan, c.Amount, Core.Domain.Currency.Find(c.Currency)) : null,
            c.Reminders is { } r ? new RemindersView(r.EveryDays, r.Max) : null,
            (deliveries ?? []).OrderBy(d => d.UpdatedAt).Select(DeliveryView.From).ToList(),
            (payments ?? []).OrderBy(p => p.Instalment ?? 0).Select(PaymentView.From).ToList(),
            request.Batch is { } line ? new BatchLineView(line.BatchId, line.Line) : null);
    }
}

/// <summary>The batch file line a request came from (its line number in the file, counting the header as 1).</summary>
public sealed record BatchLineView(string BatchId, int Line);

/// <summary>A payment the provider confirmed: for the whole amount, or for one instalment of a plan.</summary>
public sealed record PaymentView(int? Instalment, decimal Amount, string Currency, string Provider, string ProviderReference, DateTime PaidAt,
    [property: Description("The provider's refund, for a payment that arrived after the request closed (the payment_refunded event).")]
    string? RefundReference)
{
    public static PaymentView From(Payment p) => new(p.Instalment, Core.Domain.Currency.WithMinorDigits(p.Amount, p.Currency), p.Currency, p.Provider,
        p.ProviderReference, p.PaidAt.UtcDateTime, p.RefundReference);
}

/// <summary>One send of the request: its channel and purpose, where it stands, and the provider's and carrier's word on it.</summary>
public sealed record DeliveryView(
    string Channel,
    string Purpose,
    [property: Description("Sending, Retrying, Sent (the provider took it), Delivered or Undeliverable (the carrier's receipt), Failed, or Skipped (request closed, or errorCode opted_out).")]
    string Status,
    int Attempts,
    string? Recipient,
    string? ProviderMessageId,
    string? ErrorCode,
    string? ErrorReason,
    DateTime UpdatedAt,
    [property: Description("The carrier's delivery report, once it came.")] ReceiptView? Receipt)
{
    public static DeliveryView From(DeliveryRecord d) => new(
        d.Channel.Name(), d.Purpose, d.Status.ToString(), d.Attempts, d.Recipient, d.ProviderMessageId, d.ErrorCode, d.ErrorReason,
        d.UpdatedAt.UtcDateTime, d.Receipt is { } r ? new ReceiptView(r.CarrierStatus, r.Detail, r.At.UtcDateTime) : null);
}

/// <summary>A carrier's delivery report, in its words: its status (Delivered, Failed, Bounced …), detail and time.</summary>
public sealed record ReceiptView(string CarrierStatus, string? Detail, DateTime ReceivedAt);

public sealed record CustomerView(string? Title, string FirstName, string LastName, string? MobileNumber, string? Email);

public sealed record RepaymentPlanView(int Instalments, string Frequency, DateOnly FirstPaymentDate, IReadOnlyList<InstalmentView> Schedule)
{
    public static RepaymentPlanView From(RepaymentPlan plan, decimal amount, Currency currency) => new(
        plan.Instalments, plan.Frequency.ToString().ToLowerInvariant(), plan.FirstPaymentDate,
        plan.Schedule(amount, currency).Select(i => new InstalmentView(i.Number, i.DueDate, currency.WithMinorDigits(i.Amount))).ToList());
}

public sealed record InstalmentView(int Number, DateOnly DueDate, decimal Amount);

public sealed record RemindersView(int EveryDays, int Max);

public sealed record PaymentRequestSummaryView(
    string RequestId,
    string ClientTransactionRef,
    string Status,
    decimal Amount,
    string Currency,
    string AccountReference,
    string CustomerName,
    DateTime CreatedAt,
    DateTime ExpiresAt)
{
    public static PaymentRequestSummaryView From(PaymentRequestSummary s) => new(
        s.RequestId, s.ClientTransactionRef, s.Status.ToString(), Core.Domain.Currency.WithMinorDigits(s.Amount, s.Currency), s.Currency, s.AccountReference, s.CustomerName,
        s.CreatedAt.UtcDateTime, s.ExpiresAt.UtcDateTime);
}

public sealed record PaymentRequestListView(IReadOnlyList<PaymentRequestSummaryView> Items, string? ContinuationToken);

public sealed record ResendRequest(
    [property: Required, Description("sms or email.")] string? Channel,
    [property: Description("A corrected mobile number (with channel sms): it replaces the customer's.")] string? MobileNumber,
    [property: Description("A corrected email (with channel email): it replaces the customer's.")] string? Email);

public sealed record StatusChange([property: Required, Description("Cancelled or Paid.")] string? Status);
