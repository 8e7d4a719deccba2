namespace PayByLink.Core.PaymentRequests;

/// <summary>Builds the customer-facing URLs: the long one opens the payment page, the short one redirects to it.</summary>
public sealed class PaymentLinks(Uri publicBaseUrl)
{
    private readonly string _base = publicBaseUrl.ToString().TrimEnd('/');

    public string LongUrl(string paymentToken) => $"{_base}/pay/{paymentToken}";

    public string ShortUrl(string shortCode) => $"{_base}/l/{shortCode}";
}
