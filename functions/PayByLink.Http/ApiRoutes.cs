namespace PayByLink.Http;

/// <summary>
/// Routes below the <c>/api</c> prefix. The Functions host adds the prefix itself (host.json routePrefix);
/// the local runtime maps the same routes under <see cref="Prefix"/>.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "/api";
    public const string PaymentRequests = "v1/payment-requests";
    public const string PaymentRequest = "v1/payment-requests/{requestId}";
}
