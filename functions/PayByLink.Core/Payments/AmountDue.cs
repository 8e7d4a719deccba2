using PayByLink.Core.Domain;

namespace PayByLink.Core.Payments;

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
