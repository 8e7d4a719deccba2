using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using PayByLink.Core.Domain;
using PayByLink.Core.Payments;
using static PayByLink.Http.Pages.PageHtml;

namespace PayByLink.Http.Pages;

/// <summary>The payment page in each state: payable (with a plan's schedule), paid (receipt), cancelled, expired, unavailable.</summary>
public static class PaymentPageHtml
{
    public static IResult Render(PaymentPageView view, IPaymentGateway gateway, string token, string? returned)
    {
        var request = view.Request;
        var currency = Currency.Find(request.Content.Currency);
        var merchant = view.Merchant.DisplayName;
        switch (view.State)
        {
            case PaymentPageState.Paid:
                return Receipt(view, currency);
            case PaymentPageState.Cancelled:
                return Message("Payment request cancelled", "This payment request has been cancelled",
                    $"{merchant} cancelled this request, so there is nothing to pay. If you think this is wrong, contact {merchant}.",
                    merchant: merchant, kind: "warn");
            case PaymentPageState.Expired:
                return Message("Payment link expired", "This payment link has expired",
                    $"It could be paid until {view.Merchant.LocalTime(request.Content.ExpiresAt)}. Contact {merchant} for a new link.", merchant: merchant,
                    kind: "warn");
            case PaymentPageState.Unavailable:
                return Message("Payment link unavailable", "This payment link is no longer available",
                    $"Contact {merchant} to arrange your payment.", merchant: merchant, kind: "bad");
        }

        if (returned == "paid")
        {
            // Back from the provider before its confirmation arrived: look again shortly.
            return Page("Confirming your payment", $"""
                <p class="merchant">{Encode(merchant)}</p>
                <section class="card ok">
                <h1>Confirming your payment…</h1>
                <p>{Encode(PaymentProvider(gateway))} is confirming your payment. This page refreshes by itself; do not pay again.</p>
                </section>
                """, refreshSeconds: 2);
        }

        // The first screen of a phone holds what the customer came for: who asks, how much, and the Pay button; the
        // details and a plan's schedule follow below it.
        var due = view.Due!;
        var plan = request.Content.RepaymentPlan;
        var html = new StringBuilder();
        if (returned == "declined")
        {
            html.Append("<p class=\"notice\" role=\"alert\">Your payment did not go through and you have not been charged. You can try again.</p>");
        }

        html.Append("<section class=\"card\">");
        html.Append($"<h1>{Encode(merchant)} asks you to pay</h1>");
        html.Append($"<p class=\"amount\">{Encode(currency.Format(due.Amount))}</p>");
        if (due.Instalment is { } instalment)
        {
            html.Append($"<p class=\"due\">Instalment {instalment} of {plan!.Instalments}, due now</p>");
        }

        if (request.Content.Passphrase is { } passphrase)
        {
            html.Append($"<p class=\"passphrase\">Your passphrase: <strong>{Encode(passphrase)}</strong><br><span class=\"small\">It matches the one in your message, so you know this request is genuine.</span></p>");
        }

        html.Append($"""
            <form method="post" action="/pay/{Encode(token)}/checkout">
            <button type="submit">Pay {Encode(currency.Format(due.Amount))} securely</button>
            </form>
            <p class="small">You enter your card details on {Encode(PaymentProvider(gateway))}'s secure page: they never reach this site or the merchant.</p>
            """);

        // A plan's headline is the instalment due now, paid by its date; the plan's total stands below it, labelled.
        html.Append(Rows(
        [
            ("Reason", request.Content.Reason),
            ("Account reference", request.Content.AccountReference),
            (plan is null ? "Amount" : "Due now", plan is null
                ? currency.Format(request.Content.Amount) + $" ({currency.Code})"
                : $"Instalment {due.Instalment} of {plan.Instalments}: {currency.Format(due.Amount)} ({currency.Code})"),
            ("Pay by", due.DueDate is { } dueDate ? Date(dueDate) : view.Merchant.LocalTime(request.Content.ExpiresAt)),
            ("Plan total", plan is null ? null : currency.Format(request.Content.Amount) + $" ({currency.Code})"),
        ]));
        if (plan is not null)
        {
            html.Append(Schedule(plan, request.Content.Amount, currency, view.Payments, due));
        }

        html.Append("</section>");
        return Page($"Pay {merchant}", html.ToString(), formAction: FormAction(gateway));
    }

    private static IResult Receipt(PaymentPageView view, Currency currency)
    {
        var request = view.Request;
        var merchant = view.Merchant.DisplayName;
        var rows = new StringBuilder();
        foreach (var payment in view.Payments.OrderBy(p => p.Instalment ?? 0))
        {
            rows.Append(Rows(
            [
                ("Paid", currency.Format(payment.Amount) + (payment.Instalment is { } n ? $" (instalment {n})" : "")),
                ("Date", view.Merchant.LocalTime(payment.PaidAt)),
                ("Payment reference", payment.ProviderReference),
            ]));
        }

        return Page("Payment received", $"""
            <p class="merchant">{Encode(merchant)}</p>
            <section class="card ok">
            <h1>Payment received</h1>
            <p>Thank you. {Encode(merchant)} has received {Encode(currency.Format(request.Content.Amount))}{(view.Payments.Count > 0 ? "" : " (paid by other means)")}.</p>
            {Rows([("Reason", request.Content.Reason), ("Account reference", request.Content.AccountReference)])}
            {rows}
            <p class="small">Keep this page as your receipt.</p>
            </section>
            """);
    }

    private static string Schedule(RepaymentPlan plan, decimal total, Currency currency, IReadOnlyList<Payment> payments, AmountDue due)
    {
        var paid = payments.Select(p => p.Instalment).ToHashSet();
        var rows = new StringBuilder();
        foreach (var instalment in plan.Schedule(total, currency))
        {
            var state = paid.Contains(instalment.Number) ? "Paid" : instalment.Number == due.Instalment ? "Due now" : "Upcoming";
            rows.Append($"<tr{(state == "Due now" ? " class=\"now\"" : "")}><td>{instalment.Number}</td><td>{Encode(Date(instalment.DueDate))}</td>" +
                        $"<td class=\"num\">{Encode(currency.Format(instalment.Amount))}</td><td>{state}</td></tr>");
        }

        return $"""
            <h2>Your repayment plan: {Encode(currency.Format(total))} in all</h2>
            <table><caption class="small">{plan.Instalments} {plan.Frequency.ToString().ToLowerInvariant()} instalments</caption>
            <thead><tr><th scope="col">#</th><th scope="col">Date</th><th scope="col" class="num">Amount</th><th scope="col">Status</th></tr></thead>
            <tbody>{rows}</tbody></table>
            """;
    }

    private static string Date(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static string PaymentProvider(IPaymentGateway gateway) => gateway.Name == "stripe" ? "Stripe" : "the test payment gateway";

    private static string FormAction(IPaymentGateway gateway) => $"'self' {gateway.CheckoutOrigin}";
}
