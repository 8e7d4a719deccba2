namespace PayByLink.Core.PaymentRequests;

/// <summary>
/// Builds the customer-facing URLs: the long one opens the payment page, the short one redirects to it, and an email's
/// unsubscribe URL.
/// </summary>
public sealed class PaymentLinks(Uri publicBaseUrl)
{
    private readonly string _base = publicBaseUrl.ToString().TrimEnd('/');

    public string LongUrl(string paymentToken) => $"{_base}/pay/{paymentToken}";

    public string ShortUrl(string shortCode) => $"{_base}/l/{shortCode}";

    /// <summary>Where an email's one-click unsubscribe goes: the link's token names the merchant and the customer.</summary>
    public Uri UnsubscribeUrl(string paymentToken) => new($"{_base}/unsubscribe/{paymentToken}");
}
