using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Limits;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Payments;
using PayByLink.Core.Ports;

namespace PayByLink.Http.PaymentRequests;

/// <summary>What the payment-request handlers need, gathered once.</summary>
public sealed record PaymentRequestServices(
    CreatePaymentRequest Create,
    PaymentRequestChanges UpdateStatus,
    ResendPaymentRequest Resend,
    IPaymentRequestStore Requests,
    IDeliveryStore Deliveries,
    IPaymentStore Payments,
    PaymentLinks Links,
    DailyMessageCap Caps)
{
    /// <summary>
    /// A stored request as every answer shows it: with the deliveries and payments recorded so far. A request its create
    /// has just written has neither (its sends are queued after the write), so a create's 201 shows it as written.
    /// </summary>
    public async Task<PaymentRequestView> ViewAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var deliveries = Deliveries.ListAsync(request.MerchantId, request.RequestId, cancellationToken);
        var payments = Payments.ListAsync(request.MerchantId, request.RequestId, cancellationToken);
        return PaymentRequestView.From(request, Links, await deliveries, await payments);
    }
}
