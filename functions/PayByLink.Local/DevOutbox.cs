using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PayByLink.Adapters.Storage;

namespace PayByLink.Local;

/// <summary>
/// <c>/dev/outbox</c>: every SMS and email the local runtime "sent", newest first, links clickable; JSON with
/// <c>Accept: application/json</c>.
/// </summary>
public static partial class DevOutbox
{
    public const string Route = "/dev/outbox";

    public static IEndpointRouteBuilder MapDevOutbox(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, ShowAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ShowAsync(HttpRequest request, TableOutbox outbox, CancellationToken cancellationToken)
    {
        var messages = await outbox.ListAsync(max: 200, days: 7, cancellationToken);
        if (request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true))
        {
            return TypedResults.Ok(messages.Select(m => new
            {
                m.Channel, m.Recipient, m.Subject, m.Body, m.RequestId, m.SendId, Time = m.SentAt.UtcDateTime,
            }));
        }

        var html = new StringBuilder("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>Outbox · PayByLink local</title>
            <style>body{font-family:system-ui,sans-serif;margin:1rem;max-width:60rem;overflow-wrap:anywhere}article{border:1px solid #ccc;border-radius:6px;padding:.75rem;margin:.75rem 0}
            header{font-size:.85rem;color:#444}pre{white-space:pre-wrap;font:inherit;margin:.5rem 0 0}</style></head><body>
            <h1>Outbox</h1><p>Every SMS and email the local runtime has sent, newest first. Nothing here left this machine.</p>
            """);
        if (messages.Count == 0)
        {
            html.Append("<p>Nothing sent yet.</p>");
        }

        foreach (var m in messages)
        {
            html.Append("<article><header>")
                .Append(E(m.Channel.ToUpperInvariant())).Append(" to ").Append(E(m.Recipient)).Append(" · ")
                .Append(E(m.SentAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'"))).Append(" · request ").Append(E(m.RequestId))
                .Append("</header>");
            if (m.Subject is not null)
            {
                html.Append("<h2>").Append(E(m.Subject)).Append("</h2>");
            }

            html.Append("<pre>").Append(Linked(m.Body)).Append("</pre></article>");
        }

        html.Append("</body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);

    /// <summary>The text encoded, with each http(s) URL in it made a link.</summary>
    private static string Linked(string text) =>
        UrlPattern().Replace(E(text), m => $"<a href=\"{m.Value}\">{m.Value}</a>");

    [GeneratedRegex(@"https?://[^\s<>""']+")]
    private static partial Regex UrlPattern();
}
