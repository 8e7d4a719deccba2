using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using PayByLink.Core.Staff;
using PayByLink.Core.Staff.Ports;

namespace PayByLink.StaffConsole;

/// <summary>
/// Who a session belongs to: the claims of the console's own cookie (email, name, Entra object id, and the merchant
/// picked), made by the development sign-in or from an OpenID Connect sign-in. A person is known by the email an admin
/// added them with; their first Entra sign-in binds their object id to it, and from then on a token must carry that id.
/// </summary>
public sealed class ConsoleSignIn(IStaffStore staff, PayByLink.Core.Audit.IAuditLog audit, TimeProvider clock)
{
    public const string EmailClaim = "email", NameClaim = "name", ObjectIdClaim = "oid", MerchantClaim = "merchant";

    public static ClaimsPrincipal Principal(string email, string name, string? objectId, string? merchantId)
    {
        var claims = new List<Claim> { new(EmailClaim, email), new(NameClaim, name) };
        if (objectId is not null)
        {
            claims.Add(new Claim(ObjectIdClaim, objectId));
        }

        if (merchantId is not null)
        {
            claims.Add(new Claim(MerchantClaim, merchantId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, ConsoleServices.CookieScheme, NameClaim, null));
    }

    /// <summary>The same session working for another of the person's merchants.</summary>
    public static Task PickMerchantAsync(HttpContext http, ClaimsPrincipal user, string merchantId) =>
        http.SignInAsync(ConsoleServices.CookieScheme,
            Principal(user.FindFirstValue(EmailClaim)!, user.FindFirstValue(NameClaim)!, user.FindFirstValue(ObjectIdClaim), merchantId));

    /// <summary>
    /// The person an issuer's token names, as the console knows them: null (refused) when the token has no email, or
    /// when the email's member is bound to another object id.
    /// </summary>
    public async Task<ClaimsPrincipal?> FromTokenAsync(ClaimsPrincipal token, CancellationToken cancellationToken)
    {
        var email = (token.FindFirstValue("email") ?? token.FindFirstValue("preferred_username"))?.Trim().ToLowerInvariant();
        var objectId = token.FindFirstValue("oid") ?? token.FindFirstValue("sub");
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(objectId))
        {
            return null;
        }

        var memberships = await staff.MembershipsAsync(email, cancellationToken);
        foreach (var member in memberships)
        {
            if (member.ObjectId is null)
            {
                await staff.SaveAsync(member with { ObjectId = objectId }, cancellationToken);
            }
            else if (member.ObjectId != objectId)
            {
                return null;
            }
        }

        var name = token.FindFirstValue("name") ?? email;
        await RecordAsync(email, name, memberships, "Microsoft Entra ID", cancellationToken);
        return Principal(email, name, objectId, memberships.Count == 1 ? memberships[0].MerchantId : null);
    }

    /// <summary>Notes a sign-in in the audit of each merchant the person works for.</summary>
    public async Task RecordAsync(string email, string name, IReadOnlyList<StaffMember> memberships, string via, CancellationToken cancellationToken)
    {
        foreach (var member in memberships)
        {
            await audit.AddAsync(new PayByLink.Core.Audit.AuditEntry(member.MerchantId, clock.GetUtcNow(), Core.Events.Actor.User(email, name),
                PayByLink.Core.Audit.AuditActions.SignedIn, email, via), cancellationToken);
        }
    }

    public static void ConfigureOpenIdConnect(OpenIdConnectOptions o, ConsoleOptions options, CookieSecurePolicy secure)
    {
        o.Authority = options.Authority;
        o.ClientId = options.ClientId;
        o.ClientSecret = options.ClientSecret;
        o.RequireHttpsMetadata = options.RequireHttpsMetadata;
        o.ResponseType = OpenIdConnectResponseType.Code;
        // The answer comes back as a top-level GET, so the correlation and nonce cookies can stay SameSite=Lax.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.Scope.Clear();
        o.Scope.Add("openid");
        o.Scope.Add("profile");
        o.Scope.Add("email");
        o.CallbackPath = ConsoleRoutes.OidcCallback;
        o.SignedOutCallbackPath = ConsoleRoutes.OidcSignedOut;
        o.SignedOutRedirectUri = ConsoleRoutes.SignIn;
        o.SignInScheme = ConsoleServices.CookieScheme;
        o.MapInboundClaims = false;
        o.SaveTokens = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = secure;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = secure;
        o.Events.OnTokenValidated = async context =>
        {
            var signIn = context.HttpContext.RequestServices.GetRequiredService<ConsoleSignIn>();
            if (await signIn.FromTokenAsync(context.Principal!, context.HttpContext.RequestAborted) is { } principal)
            {
                context.Principal = principal;
                context.Properties!.IsPersistent = false;
            }
            else
            {
                context.Fail("The token names no email, or an email bound to another account.");
            }
        };
        o.Events.OnRemoteFailure = context =>
        {
            context.HandleResponse();
            context.Response.Redirect(ConsoleRoutes.SignIn + "?failed=1");
            return Task.CompletedTask;
        };
    }
}
