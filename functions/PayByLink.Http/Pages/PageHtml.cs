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
        .visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
        body.console { font-size: 16px; background: #f6f7f9; }
        .console main { max-width: 72rem; padding: 1rem 1.25rem 3rem; }
        .console main:focus { outline: none; }
        .console a { color: var(--brand); } .console a:focus-visible, .console input:focus-visible, .console select:focus-visible, .console summary:focus-visible, .console [tabindex]:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: .5rem; z-index: 2; background: #fff; padding: .5rem; }
        .bar { background: #1f2a37; color: #fff; }
        .bar-inner { max-width: 72rem; margin: 0 auto; padding: .6rem 1.25rem; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; }
        .bar a, .bar .link { color: #fff; } .bar .product { font-weight: 700; text-decoration: none; font-size: 1.1rem; }
        .bar nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
        .bar nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
        .bar .sign-out { margin-left: auto; display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: center; min-width: 0; }
        .bar .who { overflow-wrap: anywhere; min-width: 0; }
        .console button { width: auto; font-size: 1rem; padding: .6rem 1.1rem; border-radius: 6px; }
        .console button.secondary { background: #fff; color: var(--brand); border: 2px solid var(--brand); margin: 0; }
        .console button.danger { background: var(--bad); }
        .console button.link { background: none; border: 0; padding: 0; text-decoration: underline; font-weight: 400; cursor: pointer; }
        .console h1 { font-size: 1.6rem; margin: .5rem 0 1rem; } .console h1 .hint { font-size: 1rem; font-weight: 400; }
        .panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
        .panel.narrow { max-width: 34rem; } .panel.ok { border-left: 6px solid var(--ok); } .panel.warn { border-left: 6px solid var(--warn); } .panel.bad { border-left: 6px solid var(--bad); }
        .console fieldset { border: 0; padding: 0; margin: 0 0 1rem; min-width: 0; } .console legend { font-weight: 700; font-size: 1.1rem; margin-bottom: .5rem; } .console legend h1 { font-size: 1.4rem; }
        .field { margin-bottom: 1rem; } .field label { display: block; font-weight: 600; margin-bottom: .25rem; }
        .console input[type=text], .console input[type=email], .console input[type=tel], .console input[type=date], .console input:not([type]), .console select {
          font: inherit; padding: .45rem .5rem; border: 2px solid #5b6572; border-radius: 4px; width: 100%; max-width: 32rem; background: #fff; color: var(--ink); }
        .console .w-5 { max-width: 6rem; } .console .w-10 { max-width: 11rem; } .console .w-20 { max-width: 20rem; }
        .field.invalid { border-left: 4px solid var(--bad); padding-left: .75rem; } .field.invalid input { border-color: var(--bad); }
        .field-error { color: var(--bad); font-weight: 700; margin: .25rem 0; }
        .hint { color: var(--muted); margin: .1rem 0 .35rem; }
        .choice { display: flex; gap: .5rem; align-items: center; margin: .35rem 0; } .choice input { width: 1.25rem; height: 1.25rem; margin: 0; }
        .choice label { font-weight: 400; margin: 0; }
        .error-summary { border: 4px solid var(--bad); padding: .75rem 1rem; margin-bottom: 1.25rem; background: #fff; } .error-summary h2, .error-summary h3 { margin-top: 0; }
        .error-summary a { color: var(--bad); font-weight: 700; }
        .actions { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: center; margin-top: 1rem; }
        .filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: 0 1rem; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin-bottom: 1rem; }
        .filters .actions { grid-column: 1 / -1; margin-top: 0; }
        .table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
        .console table { font-size: .95rem; } .console th, .console td { padding: .5rem .6rem; vertical-align: top; } .console thead th { background: #eef1f5; }
        .status { display: inline-block; padding: .1rem .5rem; border-radius: 4px; border: 1px solid currentColor; font-weight: 700; font-size: .9rem; }
        .status-paid { color: var(--ok); } .status-cancelled, .status-expired, .status-failed { color: var(--bad); } .status-opened, .status-sent, .status-pending { color: #1f4f8a; }
        .columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.4fr); gap: 1rem; align-items: start; }
        .details div { padding: .4rem 0; }
        .copy { display: flex; gap: .5rem; flex-wrap: wrap; } .copy input { flex: 1 1 14rem; }
        .progress { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; }
        .progress h2 { margin-top: 0; } .progress h2 + .table-wrap { border: 0; }
        .steps { list-style: none; padding: 0; margin: 0 0 1rem; }
        .step { display: grid; grid-template-columns: 1.75rem minmax(0, 1fr); gap: 0 .5rem; padding: .45rem 0; border-top: 1px solid var(--line); }
        .step-mark { grid-row: span 3; width: 1.5rem; height: 1.5rem; border-radius: 50%; display: inline-flex; align-items: center; justify-content: center; font-weight: 700; border: 2px solid #5b6572; }
        .step-done .step-mark { background: var(--ok); border-color: var(--ok); color: #fff; } .step-problem .step-mark { background: var(--bad); border-color: var(--bad); color: #fff; }
        .step-current .step-mark { border-color: var(--brand); color: var(--brand); }
        .step-name { font-weight: 700; } .step-text { overflow-wrap: anywhere; } .step-at { color: var(--muted); font-size: .9rem; }
        .step-problem .step-text { color: var(--bad); font-weight: 600; }
        .message { white-space: pre-wrap; overflow-wrap: anywhere; background: #f3f5f8; border: 1px solid var(--line); border-radius: 6px; padding: .75rem; font: inherit; }
        .preview { border: 2px solid var(--brand); border-radius: 8px; padding: 1rem; margin: 1rem 0; background: #fff; }
        .notice.ok { background: #eaf5ee; color: var(--ok); }
        .danger-link { color: var(--bad) !important; font-weight: 700; }
        .cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; }
        .cards li { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem; display: flex; flex-direction: column; gap: .35rem; } .cards a { font-weight: 700; font-size: 1.1rem; }
        .console details { margin-bottom: 1rem; } .console summary { cursor: pointer; color: var(--brand); font-weight: 600; margin-bottom: .5rem; }
        .send-form { max-width: 40rem; }
        @media (max-width: 48rem) { .columns { grid-template-columns: minmax(0, 1fr); } .bar .sign-out { margin-left: 0; } }
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
