
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;
using PayByLink.Http;
using PayByLink.Http.Carrier;
using PayByLink.Http.Pages;

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
public static class DevOutbox
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

        return CustomerPages.Render<OutboxView>(new { Page = page, PageSize = pageSize });
    }
}
