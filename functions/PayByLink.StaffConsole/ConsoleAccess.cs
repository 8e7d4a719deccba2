using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PayByLink.Core.Ports;
using PayByLink.Core.Staff;
using PayByLink.Core.Staff.Ports;

namespace PayByLink.StaffConsole;

/// <summary>The least role a console route needs; routes without it (sign-in, assets) are open.</summary>
public sealed record RequiresRole(StaffRole Role);

/// <summary>
/// The console's one gate, before any of its handlers: the pages' security headers; every form post's token checked
/// (a stale or missing one is refused with a page); a signed-out visit sent to sign in and back; then the person and
/// the merchant they work for read from storage, and their role checked against the route's.
/// </summary>
public static class ConsoleAccess
{
    private static readonly object UserItem = new();

    public static TBuilder Requires<TBuilder>(this TBuilder builder, StaffRole role) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiresRole(role));

    /// <summary>The person the gate let in on this request.</summary>
    public static ConsoleUser ConsoleUser(this HttpContext http) =>
        http.Items.TryGetValue(UserItem, out var user) && user is ConsoleUser found
            ? found
            : throw new InvalidOperationException($"{http.Request.Path} has no role set: console routes declare the role they need.");

    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        ConsoleHeaders.Apply(http.Response, http.RequestServices.GetRequiredService<IOptions<ConsoleOptions>>().Value.Authority,
            http.RequestServices.GetRequiredService<PayByLink.Adapters.Storage.StorageClients>().BlobOrigin);
        if (HttpMethods.IsPost(http.Request.Method))
        {
            try
            {
                await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                return ConsolePages.Error(null, StatusCodes.Status400BadRequest, "This form has expired",
                    "The page was open too long, or you signed out and in again since it was shown. Go back, reload the page and try again.");
            }
        }

        if (http.GetEndpoint()?.Metadata.GetMetadata<RequiresRole>() is not { } required)
        {
            return await next(context);
        }

        var session = await http.AuthenticateAsync(ConsoleServices.CookieScheme);
        if (!session.Succeeded || session.Principal.FindFirstValue(ConsoleSignIn.EmailClaim) is not { } email)
        {
            return HttpMethods.IsGet(http.Request.Method) && !http.Request.Path.Value!.EndsWith("/progress", StringComparison.Ordinal)
                ? Results.Redirect($"{ConsoleRoutes.SignIn}?returnUrl={Uri.EscapeDataString(http.Request.Path + http.Request.QueryString)}")
                : ConsolePages.Error(null, StatusCodes.Status401Unauthorized, "You are signed out", "Sign in again to carry on.");
        }

        http.User = session.Principal;
        var user = await ReadUserAsync(http, session.Principal, email);
        http.Items[UserItem] = user;
        if (user.Memberships.Count == 0)
        {
            return ConsolePages.Error(user, StatusCodes.Status403Forbidden, "You have no access to any merchant",
                $"No merchant has a console user {email}. Ask your merchant's admin to add you.");
        }

        if (user.Member is null && http.Request.Path != ConsoleRoutes.Home)
        {
            return Results.Redirect(ConsoleRoutes.Home);
        }

        if (user.Member is not null && !user.May(required.Role))
        {
            return ConsolePages.Error(user, StatusCodes.Status403Forbidden, "You cannot use this page",
                $"It needs the {required.Role.ToString().ToLowerInvariant()} role; you are {user.Member.Role.ToString().ToLowerInvariant()} " +
                $"for {user.Merchant!.DisplayName}. Ask an admin if you need it.");
        }

        return await next(context);
    }

    /// <summary>
    /// The person's memberships, and the merchant they work for: the one picked, or their only one. A membership
    /// removed since sign-in no longer counts.
    /// </summary>
    private static async Task<ConsoleUser> ReadUserAsync(HttpContext http, ClaimsPrincipal principal, string email)
    {
        // The merchant picked is read beside the memberships, and counts only if it is still one of them.
        var merchants = http.RequestServices.GetRequiredService<IMerchantStore>();
        var picked = principal.FindFirstValue(ConsoleSignIn.MerchantClaim);
        var pickedMerchant = picked is null ? Task.FromResult<Core.Domain.Merchant?>(null) : merchants.FindAsync(picked, http.RequestAborted);
        var memberships = await http.RequestServices.GetRequiredService<IStaffStore>().MembershipsAsync(email, http.RequestAborted);
        var member = memberships.FirstOrDefault(m => m.MerchantId == picked) ?? (memberships.Count == 1 ? memberships[0] : null);
        var merchant = member is null ? null
            : member.MerchantId == picked ? await pickedMerchant
            : await merchants.FindAsync(member.MerchantId, http.RequestAborted);
        return new ConsoleUser(email, principal.FindFirstValue(ConsoleSignIn.NameClaim) ?? email, merchant is null ? null : member, merchant,
            memberships);
    }
}
