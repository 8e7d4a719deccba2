using Microsoft.AspNetCore.Http;
using PayByLink.Http;

namespace PayByLink.StaffConsole;

/// <summary>
/// The console's headers, as strict as the customer pages': script and styles only from this site (no inline script),
/// forms and fetches only to it, never framed, no referrer, no caching of a page that shows customers' details.
/// </summary>
public static class ConsoleHeaders
{
    /// <summary>
    /// The policy; a form may also lead to the sign-in issuer (signing out goes on to it), and a script may connect to
    /// the storage a batch file is uploaded to.
    /// </summary>
    public static string ContentSecurityPolicy(string? issuer, string uploadOrigin) =>
        $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' {uploadOrigin}; " +
        $"form-action 'self'{(Uri.TryCreate(issuer, UriKind.Absolute, out var uri) ? " " + uri.GetLeftPart(UriPartial.Authority) : "")}; " +
        "frame-ancestors 'none'; base-uri 'none'";

    public static void Apply(HttpResponse response, string? issuer, string uploadOrigin)
    {
        response.Headers.StrictTransportSecurity = TransportSecurity.Hsts;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy(issuer, uploadOrigin);
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        // As the form tokens want them (they would override anything else, with a warning).
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.XFrameOptions = "DENY";
    }
}
