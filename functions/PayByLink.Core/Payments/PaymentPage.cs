using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Payments;

public enum PaymentPageState
{
    Payable,
    Paid,
    Cancelled,
    Expired,

    /// <summary>The request failed (no channel could deliver it) and takes no payment.</summary>
    Unavailable,
}

/// <summary>What the customer's page shows: who asks for how much and why, what is due now, what was paid.</summary>
public sealed record PaymentPageView(
    PaymentPageState State,
    Merchant Merchant,
    PaymentRequest Request,
    IReadOnlyList<Payment> Payments,
    AmountDue? Due);

/// <summary>
/// The customer's side of a request, found by its link alone: the page (whose first view marks the request
/// Opened) and the hand-over to the payment provider for the amount due now.
/// </summary>
public sealed class PaymentPage(
    IPaymentLinkStore links,
    IPaymentRequestStore requests,
    IMerchantStore merchants,
    IPaymentStore payments,
    IPaymentGateway gateway,
    PaymentRequestChanges statuses,
    TimeProvider clock)
{
    public async Task<PaymentLink?> FindByCodeAsync(string code, CancellationToken cancellationToken) =>
        await links.FindByCodeAsync(code, cancellationToken);

    /// <summary>The page for a token, or null when the token is unknown. The first view marks the request Opened.</summary>
    public async Task<PaymentPageView?> OpenAsync(string token, CancellationToken cancellationToken)
    {
        var view = await ReadAsync(token, cancellationToken);
        if (view is { State: PaymentPageState.Payable, Request.Status: PaymentRequestStatus.Pending or PaymentRequestStatus.Sent })
        {
            var opened = await statuses.ExecuteAsync(view.Request.MerchantId, view.Request.RequestId, PaymentRequestStatus.Opened, Actor.Customer, cancellationToken);
            view = view with { Request = opened.Request ?? view.Request };
        }

        return view;
    }

    /// <summary>Starts the provider's checkout for the amount due: its URL, or the page as it stands when nothing can be paid.</summary>
    public async Task<(PaymentPageView? View, Uri? Checkout)> StartCheckoutAsync(string token, Uri successUrl, Uri cancelUrl,
        CancellationToken cancellationToken)
    {
        var view = await ReadAsync(token, cancellationToken);
        if (view is not { State: PaymentPageState.Payable, Due: { } due })
        {
            return (view, null);
        }

        var request = view.Request;
        var description = request.Content.Reason ?? request.Content.AccountReference;
        var checkout = await gateway.StartCheckoutAsync(new CheckoutRequest(
            request.MerchantId, request.RequestId, view.Merchant.DisplayName,
            due.Instalment is { } n ? $"{description} (instalment {n} of {request.Content.RepaymentPlan!.Instalments})" : description,
            due, $"{request.RequestId}.{due.Instalment ?? 0}", successUrl, cancelUrl, request.Content.ExpiresAt), cancellationToken);

        // Noted so that a cancel, or a payment made another way, closes it (CloseCheckouts).
        await payments.AddCheckoutAsync(request.MerchantId, request.RequestId, checkout.Id, cancellationToken);
        return (view, checkout.Url);
    }

    private async Task<PaymentPageView?> ReadAsync(string token, CancellationToken cancellationToken)
    {
        if (await links.FindByTokenAsync(token, cancellationToken) is not { } link ||
            await requests.FindAsync(link.MerchantId, link.RequestId, cancellationToken) is not { } found ||
            await merchants.FindAsync(link.MerchantId, cancellationToken) is not { } merchant)
        {
            return null;
        }

        var request = found.Value;
        var paid = await payments.ListAsync(request.MerchantId, request.RequestId, cancellationToken);
        var due = AmountDue.For(request, paid);
        var state = request.Status switch
        {
            PaymentRequestStatus.Paid => PaymentPageState.Paid,
            PaymentRequestStatus.Cancelled => PaymentPageState.Cancelled,
            PaymentRequestStatus.Expired => PaymentPageState.Expired,
            PaymentRequestStatus.Failed => PaymentPageState.Unavailable,
            _ when due is null => PaymentPageState.Paid,
            _ when clock.GetUtcNow() >= request.Content.ExpiresAt => PaymentPageState.Expired,
            _ => PaymentPageState.Payable,
        };
        return new PaymentPageView(state, merchant, request, paid, due);
    }
}
