namespace PayByLink.Http.Pages;

/// <summary>The customer's routes, from the site root (the Functions host has no route prefix).</summary>
public static class PageRoutes
{
    public const string ShortLink = "l/{code}";
    public const string PaymentPage = "pay/{token}";
    public const string Checkout = "pay/{token}/checkout";
    public const string Stylesheet = "pay/assets/pay.css";
    public const string Unsubscribe = "unsubscribe/{token}";
    public const string Callback = "api/payments/callback/{provider}";
}
