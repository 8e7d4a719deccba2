namespace PayByLink.Core.Payments;

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
