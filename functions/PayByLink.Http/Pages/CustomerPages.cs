using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PayByLink.Http.Pages;

/// <summary>
/// The customer's pages, as Razor components rendered on the server (every value encoded by the renderer): no script,
/// our one stylesheet, and headers that keep the page, and the token in its URL, to itself.
/// </summary>
public static class CustomerPages
{
    public const string StylesheetPath = "/" + PageRoutes.Stylesheet;

    public static IResult Render<TPage>(object parameters, int statusCode = StatusCodes.Status200OK, string formAction = "'self'")
        where TPage : IComponent => new Page(new RazorComponentResult<TPage>(parameters) { StatusCode = statusCode, ContentType = "text/html; charset=utf-8" },
        formAction);

    /// <summary>A plain message page: a heading, a sentence or two, and the merchant it concerns if known.</summary>
    public static IResult Message(string title, string heading, string text, int statusCode = StatusCodes.Status200OK, string? merchant = null,
        string kind = "info") =>
        Render<MessagePage>(new { Title = title, Heading = heading, Text = text, Merchant = merchant, Kind = kind }, statusCode);

    /// <summary>
    /// No script at all, styles only from this site, forms only to this site and the gateway, never framed; no
    /// referrer, no caching; and HTTPS only from the first visit on (HSTS, which a browser takes only over HTTPS).
    /// </summary>
    public static void SecureHeaders(HttpResponse response, string formAction)
    {
        response.Headers.StrictTransportSecurity = TransportSecurity.Hsts;
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'self'; img-src 'self'; form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
    }

    private sealed class Page(IResult component, string formAction) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            SecureHeaders(context.Response, formAction);
            return component.ExecuteAsync(context);
        }
    }
}
