namespace PayByLink.Core.Payments;

/// <summary>A payment service provider: its hosted checkout page, and its signed callbacks.</summary>
public interface IPaymentGateway
{
    /// <summary>The provider's name in callback URLs and payment records (<c>test</c>, <c>stripe</c>).</summary>
    string Name { get; }

    /// <summary>Where the payment page's form leads the browser, for the page's Content Security Policy.</summary>
    string CheckoutOrigin { get; }

    /// <summary>
    /// Opens a checkout for the amount due, payable no later than <see cref="CheckoutRequest.PayableUntil"/> (or the
    /// provider's shortest life for a checkout, if that is later): where to send the customer, and its id.
    /// </summary>
    Task<CheckoutSession> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken);

    /// <summary>Closes a checkout so it can no longer be paid; one already closed, paid or expired is left as it is.</summary>
    Task CloseCheckoutAsync(string checkoutId, CancellationToken cancellationToken);

    /// <summary>Refunds a payment in full, once however often asked; the provider's id for the refund.</summary>
    Task<string> RefundAsync(Payment payment, CancellationToken cancellationToken);

    /// <summary>Verifies a callback's signature and freshness and reads it.</summary>
    CallbackResult ReadCallback(string body, Func<string, string?> header, DateTimeOffset now);
}
