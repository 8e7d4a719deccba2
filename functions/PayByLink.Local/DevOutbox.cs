using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;
using PayByLink.Http;
using PayByLink.Http.Carrier;

namespace PayByLink.Local;

/// <summary>A text as a customer would send it to the local sender number.</summary>
public sealed record InboundSmsRequest(string? From, string? Message);

/// <summary>
/// <c>/dev/outbox</c>: every SMS and email the local runtime "sent", newest first, links clickable, with each one's
/// delivery report and a box to reply to the sender number; JSON with <c>Accept: application/json</c>, paged
/// (<c>pageSize</c>, <c>continuationToken</c>) and filtered (<c>requestId</c>, <c>recipient</c>).
/// <c>POST /dev/sms/inbound</c> is a customer's text to the sender number (STOP, START …), through the same path as
/// Azure Communication Services' inbound SMS.
/// </summary>
public static partial class DevOutbox
{
    public const string Route = "/dev/outbox";
    public const string InboundRoute = "/dev/sms/inbound";
    private const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapDevOutbox(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, ShowAsync).ExcludeFromDescription();
        app.MapPost(InboundRoute, InboundAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> InboundAsync(HttpRequest request, CarrierEvents events, TimeProvider clock, CancellationToken cancellationToken)
    {
        InboundSmsRequest? body;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            body = new InboundSmsRequest(form["from"], form["message"]);
        }
        else
        {
            var (json, problem) = await JsonBody.ReadAsync<InboundSmsRequest>(request, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            body = json;
        }

        if (string.IsNullOrWhiteSpace(body!.From) || body.Message is null)
        {
            return Problems.Validation("from", "required", "Give from (the customer's mobile number) and message.");
        }

        await events.HandleAsync(BinaryData.FromString(AcsEvents.Json([AcsEvents.InboundSms(body.From, TableOutbox.SenderNumber, body.Message,
            clock.GetUtcNow())])), cancellationToken);
        return request.HasFormContentType ? Results.Redirect(Route) : TypedResults.Accepted((string?)null, new { received = true });
    }

    private static async Task<IResult> ShowAsync(HttpRequest request, TableOutbox outbox, CancellationToken cancellationToken)
    {
        string? Filter(string name) => request.Query[name].FirstOrDefault() is { Length: > 0 } value ? value : null;
        var pageSize = 50;
        if (Filter("pageSize") is { } asked && !(int.TryParse(asked, out pageSize) && pageSize is >= 1 and <= MaxPageSize))
        {
            return Problems.Validation("pageSize", "invalid_page_size", $"pageSize must be a whole number from 1 to {MaxPageSize}.");
        }

        // A number as people type it (07700 900123) finds what was sent to it (+447700900123).
        var recipient = Filter("recipient") is { } typed && ContactDetails.TryNormaliseMobile(typed, DevelopmentMerchant.Merchant.PhoneRegion, out var e164, out _)
            ? e164
            : Filter("recipient");
        OutboxPage page;
        try
        {
            page = await outbox.PageAsync(Filter("requestId"), recipient, pageSize, Filter("continuationToken"), cancellationToken);
        }
        catch (InvalidContinuationTokenException e)
        {
            return Problems.Validation("continuationToken", "invalid_continuation_token", e.Message);
        }

        if (request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true))
        {
            return TypedResults.Ok(new
            {
                Items = page.Items.Select(m => new
                {
                    m.Channel, m.Recipient, m.Subject, m.Body, m.RequestId, m.SendId, Time = m.SentAt.UtcDateTime, m.Unsubscribe, m.Receipt,
                    ReceiptAt = m.ReceiptAt?.UtcDateTime,
                }),
                page.ContinuationToken,
            });
        }

        var html = new StringBuilder($"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>Outbox · PayByLink local</title>
            <style>body{"{"}font-family:system-ui,sans-serif;margin:1rem;max-width:60rem;overflow-wrap:anywhere{"}"}article{"{"}border:1px solid #ccc;border-radius:6px;padding:.75rem;margin:.75rem 0{"}"}
            header{"{"}font-size:.85rem;color:#444{"}"}pre{"{"}white-space:pre-wrap;font:inherit;margin:.5rem 0 0{"}"}form{"{"}display:flex;flex-wrap:wrap;gap:.5rem;align-items:center{"}"}
            input{"{"}font:inherit;min-width:0{"}"}.receipt{"{"}font-weight:600{"}"}</style></head><body>
            <h1>Outbox</h1><p>Every SMS and email the local runtime has sent, newest first, with the delivery report the local carrier sent a
            second later ({E(TableOutbox.UndeliverableMobile)} and {E(TableOutbox.UndeliverableEmail)} are never delivered). Nothing here left this machine.</p>
            <form method="post" action="{InboundRoute}"><label>Reply from <input name="from" value="+447700900123" size="14"></label>
            <label>to {E(TableOutbox.SenderNumber)}: <input name="message" value="STOP" size="10"></label><button type="submit">Send reply</button></form>
            """);
        if (page.Items.Count == 0)
        {
            html.Append("<p>Nothing sent yet.</p>");
        }

        foreach (var m in page.Items)
        {
            html.Append("<article><header>")
                .Append(E(m.Channel.ToUpperInvariant())).Append(" to ").Append(E(m.Recipient)).Append(" · ")
                .Append(E(m.SentAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'"))).Append(" · request ").Append(E(m.RequestId))
                .Append(" · <span class=\"receipt\">").Append(m.Receipt is null ? "awaiting receipt" : E(m.Receipt)).Append("</span>")
                .Append("</header>");
            if (m.Subject is not null)
            {
                html.Append("<h2>").Append(E(m.Subject)).Append("</h2>");
            }

            html.Append("<pre>").Append(Linked(m.Body)).Append("</pre>");
            if (m.Unsubscribe is { } unsubscribe)
            {
                html.Append("<p>List-Unsubscribe: ").Append(Linked(unsubscribe.Trim('<', '>'))).Append("</p>");
            }

            html.Append("</article>");
        }

        if (page.ContinuationToken is { } next)
        {
            html.Append("<p><a href=\"").Append(E($"{Route}?pageSize={pageSize}&continuationToken={Uri.EscapeDataString(next)}")).Append("\">Older messages</a></p>");
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
