using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace PayByLink.Http.Pages;

/// <summary>
/// The customer pages' HTML: one layout, every value HTML-encoded as it is written, no script, one stylesheet
/// of our own, and headers that keep the page (and the token in its URL) to itself.
/// </summary>
public static class PageHtml
{
    public const string StylesheetPath = "/pay/assets/pay.css";

    // Every character that means something in HTML is encoded; letters of any script and symbols such as £ are kept.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Encode(string? value) => Encoder.Encode(value ?? "");

    /// <summary>A whole page: <paramref name="body"/> is HTML this class or its callers built from encoded values.</summary>
    public static IResult Page(string title, string body, int statusCode = StatusCodes.Status200OK, string formAction = "'self'", int? refreshSeconds = null) =>
        new PageResult(statusCode, formAction, $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            {{(refreshSeconds is { } s ? $"<meta http-equiv=\"refresh\" content=\"{s}\">" : "")}}
            <title>{{Encode(title)}}</title>
            <link rel="stylesheet" href="{{StylesheetPath}}">
            </head>
            <body>
            <main>
            {{body}}
            </main>
            </body>
            </html>
            """);

    /// <summary>A plain message page: a heading, a sentence or two, and the merchant it concerns if known.</summary>
    public static IResult Message(string title, string heading, string text, int statusCode = StatusCodes.Status200OK, string? merchant = null,
        string kind = "info") =>
        Page(title, $"""
            {(merchant is null ? "" : $"<p class=\"merchant\">{Encode(merchant)}</p>")}
            <section class="card {kind}">
            <h1>{Encode(heading)}</h1>
            <p>{Encode(text)}</p>
            </section>
            """, statusCode);

    public static string Rows(IEnumerable<(string Label, string? Value)> rows)
    {
        var html = new StringBuilder("<dl>");
        foreach (var (label, value) in rows.Where(r => !string.IsNullOrEmpty(r.Value)))
        {
            html.Append($"<div><dt>{Encode(label)}</dt><dd>{Encode(value)}</dd></div>");
        }

        return html.Append("</dl>").ToString();
    }

    public const string Stylesheet = """
        :root { color-scheme: light; --ink: #1b1f24; --muted: #4a5360; --line: #d5dae1; --brand: #0b5cad; --ok: #17663a; --warn: #8a4b00; --bad: #a11d2b; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f3f5f8; }
        main { max-width: 30rem; margin: 0 auto; padding: 1rem; }
        .merchant { font-weight: 700; font-size: 1.1rem; margin: .5rem 0 1rem; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 1.25rem; margin-bottom: 1rem; }
        .card.ok { border-top: 6px solid var(--ok); } .card.warn { border-top: 6px solid var(--warn); } .card.bad { border-top: 6px solid var(--bad); }
        h1 { font-size: 1.35rem; margin: 0 0 .5rem; }
        h2 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
        .amount { font-size: 2.2rem; font-weight: 700; margin: .25rem 0 .5rem; }
        .due { font-weight: 700; margin: 0 0 1rem; }
        form + .small { margin-bottom: 1.25rem; }
        dl { margin: 0; } dl div { display: flex; justify-content: space-between; gap: 1rem; padding: .5rem 0; border-top: 1px solid var(--line); }
        dt { color: var(--muted); white-space: nowrap; } dd { margin: 0; text-align: right; overflow-wrap: anywhere; font-weight: 600; }
        .passphrase { background: #eef4fb; border-radius: 8px; padding: .75rem; margin: 1rem 0; }
        .passphrase strong { font-size: 1.15rem; }
        table { width: 100%; border-collapse: collapse; font-size: .95rem; } th, td { text-align: left; padding: .4rem .25rem; border-top: 1px solid var(--line); }
        td.num, th.num { text-align: right; } tr.now td { font-weight: 700; background: #eef4fb; }
        button { width: 100%; font: inherit; font-weight: 700; font-size: 1.1rem; padding: .9rem; border: 0; border-radius: 10px; background: var(--brand); color: #fff; cursor: pointer; }
        button:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
        button.secondary { background: #fff; color: var(--bad); border: 2px solid var(--bad); margin-top: .75rem; }
        .notice { border-radius: 8px; padding: .75rem; margin-bottom: 1rem; background: #fdf0f1; color: var(--bad); font-weight: 600; }
        .small { color: var(--muted); font-size: .9rem; }
        .label { display: inline-block; background: #ffbf47; color: #1b1f24; font-weight: 700; padding: .2rem .5rem; border-radius: 4px; }
        """;

    private sealed class PageResult(int statusCode, string formAction, string html) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.StatusCode = statusCode;
            response.ContentType = "text/html; charset=utf-8";
            SecureHeaders(response, formAction);
            await response.WriteAsync(html, Encoding.UTF8);
        }
    }

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
}
