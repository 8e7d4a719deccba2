using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PayByLink.Adapters;
using PayByLink.Core.Ports;
using PayByLink.Core.Staff;
using PayByLink.Core.Staff.Ports;
using PayByLink.Http;
using PayByLink.Http.Pages;
using PayByLink.StaffConsole.Pages;

namespace PayByLink.StaffConsole;

/// <summary>
/// The console's routes, for the local runtime and the console app alike: sign-in and out, the merchant picker, the
/// payment request pages (<see cref="RequestPages"/>), and its stylesheet and script.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>Reads the session cookie (and answers an issuer's sign-in callback) before the console's routes.</summary>
    public static IApplicationBuilder UsePayByLinkConsole(this IApplicationBuilder app) => app.UseAuthentication();

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup("").AddEndpointFilter(ConsoleAccess.Filter).ExcludeFromDescription();
        console.MapGet(ConsoleRoutes.Home, Home).Requires(StaffRole.Viewer);
        console.MapPost(ConsoleRoutes.Home, PickMerchant).Requires(StaffRole.Viewer);
        console.MapGet(ConsoleRoutes.SignIn, SignIn);
        console.MapGet(ConsoleRoutes.SignOut, () => ConsolePages.Render<SignOutPage>(new { }));
        console.MapPost(ConsoleRoutes.SignOut, SignOut);
        console.MapGet(ConsoleRoutes.DevSignIn, (HttpContext http, string? returnUrl) => DevOnly(http) ??
            ConsolePages.Render<DevSignInPage>(new { ReturnUrl = ConsoleRoutes.SafeReturn(returnUrl) }));
        console.MapPost(ConsoleRoutes.DevSignIn, DevSignIn);
        console.MapGet(ConsoleRoutes.Stylesheet, () => Results.Text(SiteStylesheet.Text, "text/css; charset=utf-8"));
        console.MapGet(ConsoleRoutes.Script, () => Results.Text(ConsoleScript.Text, "text/javascript; charset=utf-8"));
        console.MapRequestPages();
        console.MapBatchPages();
        console.MapBatchUploadPages();
        console.MapDashboardPages();
        console.MapKeyPages();
        console.MapWebhookPages();
        console.MapSettingsPages();
        console.MapAuditPages();
        console.MapAdminPages();
        console.MapOptOutPages();
        return app;
    }

    private static async Task<IResult> Home(HttpContext http, string? pick, IMerchantStore merchants, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var picking = user.Member is null || (pick == "1" && user.Memberships.Count > 1);
        var names = new Dictionary<string, string>();
        if (picking)
        {
            foreach (var member in user.Memberships)
            {
                names[member.MerchantId] = (await merchants.FindAsync(member.MerchantId, cancellationToken))?.DisplayName ?? member.MerchantId;
            }
        }

        return ConsolePages.Render<HomePage>(new { User = user, Picking = picking, MerchantNames = names });
    }

    private static async Task<IResult> PickMerchant(HttpContext http, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var merchantId = form["merchantId"].ToString();
        if (user.Memberships.All(m => m.MerchantId != merchantId))
        {
            return Results.Redirect(ConsoleRoutes.Home + "?pick=1");
        }

        await ConsoleSignIn.PickMerchantAsync(http, http.User, merchantId);
        return Results.Redirect(ConsoleRoutes.Home, preserveMethod: false);
    }

    /// <summary>With an issuer, off to it; without one, on this machine, the development sign-in.</summary>
    private static IResult SignIn(HttpContext http, string? returnUrl, string? failed, IOptions<ConsoleOptions> options)
    {
        var back = ConsoleRoutes.SafeReturn(returnUrl);
        if (failed is not null)
        {
            return ConsolePages.Render<SignInFailedPage>(new { ReturnUrl = back }, StatusCodes.Status403Forbidden);
        }

        if (options.Value.UsesOpenIdConnect)
        {
            return Results.Challenge(new AuthenticationProperties { RedirectUri = back }, [ConsoleServices.OidcScheme]);
        }

        return DevOnly(http) ?? Results.Redirect($"{ConsoleRoutes.DevSignIn}?returnUrl={Uri.EscapeDataString(back)}");
    }

    private static async Task<IResult> SignOut(HttpContext http, IOptions<ConsoleOptions> options)
    {
        await http.SignOutAsync(ConsoleServices.CookieScheme);
        // With an issuer, its session ends too (it sends the browser back to sign in).
        return options.Value.UsesOpenIdConnect
            ? Results.SignOut(new AuthenticationProperties { RedirectUri = ConsoleRoutes.SignIn }, [ConsoleServices.OidcScheme])
            : ConsolePages.Render<SignedOutPage>(new { });
    }

    private static async Task<IResult> DevSignIn(HttpContext http, IStaffStore staff, ConsoleSignIn signIn)
    {
        if (DevOnly(http) is { } refused)
        {
            return refused;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var email = form["email"].ToString().Trim();
        var address = email.ToLowerInvariant();
        var back = ConsoleRoutes.SafeReturn(form["returnUrl"]);
        var memberships = email.Length == 0 ? [] : await staff.MembershipsAsync(address, http.RequestAborted);
        if (memberships.Count == 0)
        {
            var error = email.Length == 0 ? "Enter the email of a console user" : $"No merchant has a console user {email}";
            return ConsolePages.Render<DevSignInPage>(new { Email = email, Error = error, ReturnUrl = back }, StatusCodes.Status400BadRequest);
        }

        await http.SignInAsync(ConsoleServices.CookieScheme,
            ConsoleSignIn.Principal(address, address, null, memberships.Count == 1 ? memberships[0].MerchantId : null));
        await signIn.RecordAsync(address, address, memberships, "the development sign-in", http.RequestAborted);
        return Results.Redirect(back);
    }

    /// <summary>The development sign-in answers only this machine, never in Azure, and not where an issuer is set.</summary>
    private static IResult? DevOnly(HttpContext http)
    {
        var local = LocalCaller.Is(http.Connection.RemoteIpAddress);
        var configuration = http.RequestServices.GetRequiredService<IConfiguration>();
        var issuer = http.RequestServices.GetRequiredService<IOptions<ConsoleOptions>>().Value.UsesOpenIdConnect;
        return local && !HostedInAzure.Is(configuration) && !issuer
            ? null
            : ConsolePages.Error(null, StatusCodes.Status404NotFound, "Page not found", "The development sign-in works only on a developer's machine.");
    }
}
