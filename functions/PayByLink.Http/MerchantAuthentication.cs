using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Domain;
using PayByLink.Core.Limits;
using PayByLink.Core.Merchants;

namespace PayByLink.Http;

/// <summary>
/// The merchant API's key, checked at the edge: before any handler runs, a route that needs a key (everything under
/// <c>/api/v1</c>) is answered 401 without one, and otherwise carries its merchant in the request's context for the
/// handler to read; then the key's request rate (<see cref="ApiRateLimiter"/>), answered 429 <c>rate-limited</c> when
/// spent, with the rate's headers on every answer. The local runtime checks both in an endpoint filter, the Api app in
/// its worker middleware.
/// </summary>
public static class MerchantAuthentication
{
    public const string KeyHeader = "Ocp-Apim-Subscription-Key";

    private static readonly object MerchantItem = new();
    private static readonly object ActorItem = new();

    /// <summary>Whether a route needs a merchant's key: the one rule for both hosts and the API document.</summary>
    public static bool IsRequiredFor(PathString path) => path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// For a route that needs a key: the 401 problem to answer for a missing, unknown or revoked one, or null with the
    /// merchant put in the request's context. Other routes pass as they are.
    /// </summary>
    public static async Task<IResult?> AuthenticateAsync(HttpContext http)
    {
        if (!IsRequiredFor(http.Request.Path))
        {
            return null;
        }

        var authenticator = http.RequestServices.GetRequiredService<MerchantAuthenticator>();
        if (await authenticator.AuthenticateAsync(http.Request.Headers[KeyHeader].FirstOrDefault(), http.RequestAborted) is not { } key)
        {
            return Problems.Unauthorized();
        }

        var limiter = http.RequestServices.GetRequiredService<ApiRateLimiter>();
        var (decision, limits) = limiter.Take(key.Merchant, key.KeyId);
        RateLimitHeaders.Write(http.Response.Headers, limits, decision);
        if (!decision.Allowed)
        {
            return Problems.RateLimited(decision.RetryAfter, limits);
        }

        http.Items[MerchantItem] = key.Merchant;
        http.Items[ActorItem] = Core.Events.Actor.ApiKey(key.KeyId);
        return null;
    }

    /// <summary>The local runtime's endpoint filter: every endpoint it is on is authenticated by <see cref="AuthenticateAsync"/>.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await AuthenticateAsync(context.HttpContext) ?? await next(context);

    /// <summary>The merchant whose key the edge accepted for this request.</summary>
    /// <exception cref="InvalidOperationException">The request did not pass the edge's check: a route wired without it.</exception>
    public static Merchant Merchant(this HttpRequest request) =>
        request.HttpContext.Items.TryGetValue(MerchantItem, out var merchant) && merchant is Merchant found
            ? found
            : throw new InvalidOperationException($"{request.Path} was not authenticated: merchant routes are under /api/v1.");

    /// <summary>Who the request's changes are made by: the key the edge accepted.</summary>
    /// <exception cref="InvalidOperationException">The request did not pass the edge's check: a route wired without it.</exception>
    public static Core.Events.Actor Actor(this HttpRequest request) =>
        request.HttpContext.Items.TryGetValue(ActorItem, out var actor) && actor is Core.Events.Actor found
            ? found
            : throw new InvalidOperationException($"{request.Path} was not authenticated: merchant routes are under /api/v1.");
}
