using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PayByLink.Adapters;

namespace PayByLink.StaffConsole;

public static class ConsoleServices
{
    public const string CookieScheme = "Console";
    public const string OidcScheme = "Entra";

    /// <summary>
    /// What the console needs in either host: Razor components rendered on the server, the session cookie (HTTP-only,
    /// SameSite=Lax, Secure in Azure, sliding idle timeout), form tokens, the key ring they are signed with, and the
    /// OpenID Connect sign-in when an authority is set.
    /// </summary>
    public static IServiceCollection AddPayByLinkConsole(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>() ?? new ConsoleOptions();
        services.AddSingleton(Options.Create(options));
        var inAzure = HostedInAzure.Is(configuration);
        var secure = inAzure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

        services.AddSingleton<TableConsoleKeyRing>();
        services.AddDataProtection().SetApplicationName("paybylink-console");
        services.AddSingleton<ConsoleKeyEncryptor>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<TableConsoleKeyRing, ConsoleKeyEncryptor>((o, ring, encryptor) =>
            {
                o.XmlRepository = ring;
                o.XmlEncryptor = encryptor;
            });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = inAzure ? "__Host-pbl-form" : "pbl-form";
            o.Cookie.SecurePolicy = secure;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__form";
            o.SuppressXFrameOptionsHeader = true; // frame-ancestors 'none' and X-Frame-Options: DENY, set with the other headers
        });

        var auth = services.AddAuthentication(o =>
        {
            o.DefaultScheme = CookieScheme;
            o.DefaultChallengeScheme = options.UsesOpenIdConnect ? OidcScheme : CookieScheme;
        });
        services.AddSingleton<TableSessionStore>();
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<TableSessionStore>((o, sessions) => o.SessionStore = sessions);
        auth.AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = inAzure ? "__Host-pbl-console" : "pbl-console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = secure;
            o.Cookie.Path = "/";
            o.ExpireTimeSpan = options.IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = ConsoleRoutes.SignIn;
            o.LogoutPath = ConsoleRoutes.SignOut;
            o.ReturnUrlParameter = "returnUrl";
        });
        if (options.UsesOpenIdConnect)
        {
            auth.AddOpenIdConnect(OidcScheme, o => ConsoleSignIn.ConfigureOpenIdConnect(o, options, secure));
        }

        services.AddSingleton<ConsoleSignIn>();
        return services;
    }
}
