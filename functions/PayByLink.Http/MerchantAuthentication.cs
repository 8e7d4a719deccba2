using Microsoft.AspNetCore.Http;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;

namespace PayByLink.Http;

public static class MerchantAuthentication
{
    public const string KeyHeader = "Ocp-Apim-Subscription-Key";

    /// <summary>The merchant whose key the request carries, or null for a missing, unknown or revoked key.</summary>
    public static Task<Merchant?> AuthenticateAsync(this MerchantAuthenticator authenticator, HttpRequest request,
        CancellationToken cancellationToken) =>
        authenticator.AuthenticateAsync(request.Headers[KeyHeader].FirstOrDefault(), cancellationToken);
}
