using Microsoft.Extensions.Logging;
using PayByLink.Core.Events;

namespace PayByLink.Core.Payments;

/// <summary>
/// Closes a request's open checkouts when it is cancelled or paid (by the merchant's word, or through another
/// checkout), so the customer cannot pay it again on a page already open. A checkout that cannot be closed now still
/// ends no later than its request (<see cref="CheckoutRequest.PayableUntil"/>), and a payment that arrives after the
/// request closed is refunded (<see cref="RecordPayment"/>). The gateway is asked for only when there is a checkout to
/// close: every app consumes changes, and only the Api app has a gateway.
/// </summary>
public sealed partial class CloseCheckouts(Func<IPaymentGateway> gateway, IPaymentStore payments, ILogger<CloseCheckouts> logger) : IChangeConsumer
{
    public async Task OnChangeAsync(Change change, CancellationToken cancellationToken)
    {
        if (!change.Events.Any(e => e.Type is EventTypes.RequestCancelled or EventTypes.RequestPaid))
        {
            return;
        }

        foreach (var checkout in await payments.ListCheckoutsAsync(change.MerchantId, change.SubjectId, cancellationToken))
        {
            try
            {
                await gateway().CloseCheckoutAsync(checkout, cancellationToken);
                await payments.RemoveCheckoutAsync(change.MerchantId, change.SubjectId, checkout, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotClosed(e, checkout, change.SubjectId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkout {CheckoutId} of {RequestId} was not closed; it ends with its request")]
    private partial void LogNotClosed(Exception exception, string checkoutId, string requestId);
}
