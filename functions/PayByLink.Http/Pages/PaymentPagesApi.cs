using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Limits;
using PayByLink.Core.Payments;
using static PayByLink.Http.Pages.CustomerPages;

namespace PayByLink.Http.Pages;

/// <summary>
/// The customer's side: the short link, the payment page in each of its states, the hand-over to the gateway, and
/// the gateway's callback. Served by the Api app and the local runtime alike.
/// </summary>
public static class PaymentPagesApi
{
    public static IEndpointRouteBuilder MapPaymentPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/").ExcludeFromDescription();
        pages.MapGet(PageRoutes.ShortLink, ShortLink);
        pages.MapGet(PageRoutes.PaymentPage, Show);
        pages.MapPost(PageRoutes.Checkout, Checkout);
        pages.MapGet(PageRoutes.Unsubscribe, Unsubscribe);
        pages.MapPost(PageRoutes.Unsubscribe, Unsubscribe);
        pages.MapGet(PageRoutes.Stylesheet, () => Stylesheet());
        // The provider's own call: not part of the merchant's API, so not in its description.
        app.MapPost("/" + PageRoutes.Callback, Callback).WithName("PaymentCallback").ExcludeFromDescription();
        return app;
    }

    public static IResult Stylesheet() =>
        Results.Text(SiteStylesheet.Text, "text/css; charset=utf-8");

    /// <summary>
    /// GET /l/{code}: a redirect to the payment page, or a friendly 404; guessing is slowed per client
    /// (<see cref="LinkGuessLimiter"/>). The client is the connection's address as the host resolved it: in the Api app,
    /// the Functions worker's forwarded-headers step takes the one entry the platform added to <c>X-Forwarded-For</c>
    /// and stops at the first address that is not the platform's, so entries a client wrote itself never count.
    /// </summary>
    public static async Task<IResult> ShortLink(HttpContext http, string code, PaymentPageServices services, CancellationToken cancellationToken)
    {
        var client = http.Connection.RemoteIpAddress;
        if (await services.Guesses.IsBlockedAsync(client, cancellationToken))
        {
            return TooManyGuesses();
        }

        if (await services.Page.FindByCodeAsync(code, cancellationToken) is { } link)
        {
            return new PageRedirect(services.Links.LongUrl(link.PaymentToken), StatusCodes.Status302Found);
        }

        await services.Guesses.MissAsync(client, cancellationToken);
        return NotFoundPage();
    }

    /// <summary>GET /pay/{token}: the page in the state the request is in. The first view marks it Opened.</summary>
    public static async Task<IResult> Show(HttpContext http, string token, PaymentPageServices services, CancellationToken cancellationToken)
    {
        var client = http.Connection.RemoteIpAddress;
        if (await services.Guesses.IsBlockedAsync(client, cancellationToken))
        {
            return TooManyGuesses();
        }

        if (await services.Page.OpenAsync(token, cancellationToken) is not { } view)
        {
            await services.Guesses.MissAsync(client, cancellationToken);
            return NotFoundPage();
        }

        return Render(view, services.Gateway, token, http.Request.Query["result"].FirstOrDefault());
    }

    /// <summary>POST /pay/{token}/checkout: hands over to the gateway for the amount due now (303), or back to the page.</summary>
    public static async Task<IResult> Checkout(HttpContext http, string token, PaymentPageServices services, CancellationToken cancellationToken)
    {
        var client = http.Connection.RemoteIpAddress;
        if (await services.Guesses.IsBlockedAsync(client, cancellationToken))
        {
            return TooManyGuesses();
        }

        var page = services.Links.LongUrl(token);
        var (view, checkout) = await services.Page.StartCheckoutAsync(token, new Uri(page + "?result=paid"), new Uri(page + "?result=declined"),
            cancellationToken);
        if (view is null)
        {
            await services.Guesses.MissAsync(client, cancellationToken);
            return NotFoundPage();
        }

        return new PageRedirect(checkout?.ToString() ?? page, StatusCodes.Status303SeeOther);
    }

    /// <summary>
    /// /unsubscribe/{token}, an email's <c>List-Unsubscribe</c> link: GET asks (a link scanner opening it changes
    /// nothing), POST (the mail client's RFC 8058 one-click post, or the page's button) stops the merchant's emails to
    /// the customer and says so.
    /// </summary>
    public static async Task<IResult> Unsubscribe(HttpContext http, string token, PaymentPageServices services, CancellationToken cancellationToken)
    {
        var client = http.Connection.RemoteIpAddress;
        if (await services.Guesses.IsBlockedAsync(client, cancellationToken))
        {
            return TooManyGuesses();
        }

        var confirm = HttpMethods.IsPost(http.Request.Method);
        if (await services.OptOuts.UnsubscribeAsync(token, confirm, cancellationToken) is not { } done)
        {
            await services.Guesses.MissAsync(client, cancellationToken);
            return NotFoundPage();
        }

        var merchant = (await services.Merchants.FindAsync(done.MerchantId, cancellationToken))?.DisplayName ?? done.MerchantId;
        return confirm
            ? Message("Unsubscribed", "You are unsubscribed", $"{merchant} will send no more emails to {done.MaskedEmail}.", merchant: merchant, kind: "ok")
            : Render<UnsubscribePage>(new { Merchant = merchant, done.MaskedEmail });
    }

    /// <summary>POST /api/payments/callback/{provider}: the provider's signed word that a payment was made.</summary>
    public static async Task<IResult> Callback(HttpRequest http, string provider, PaymentPageServices services, CancellationToken cancellationToken)
    {
        // Anyone may call this: the body is bounded before it is read, and checked for its signature after.
        if (await JsonBody.ReadBoundedAsync(http, cancellationToken) is not { } bytes)
        {
            return Problems.PayloadTooLarge(JsonBody.MaxBytes);
        }

        var body = System.Text.Encoding.UTF8.GetString(bytes);
        var outcome = await services.Record.ExecuteAsync(provider, body, name => http.Headers[name].FirstOrDefault(), cancellationToken);
        return outcome == RecordPaymentOutcome.Rejected
            ? Problems.BadRequest("callback-rejected", "The callback was not accepted.", "It was unsigned, forged, stale or for an unknown request.")
            : TypedResults.Ok(new { received = true });
    }

    /// <summary>The payment page in the state its request is in: payable (with a plan's schedule), paid, or how it ended.</summary>
    private static IResult Render(PaymentPageView view, IPaymentGateway gateway, string token, string? returned)
    {
        var merchant = view.Merchant.DisplayName;
        var provider = gateway.Name == "stripe" ? "Stripe" : "the test payment gateway";
        return view.State switch
        {
            PaymentPageState.Paid => Render<ReceiptPage>(new { View = view }),
            PaymentPageState.Cancelled => Message("Payment request cancelled", "This payment request has been cancelled",
                $"{merchant} cancelled this request, so there is nothing to pay. If you think this is wrong, contact {merchant}.", merchant: merchant,
                kind: "warn"),
            PaymentPageState.Expired => Message("Payment link expired", "This payment link has expired",
                $"It could be paid until {view.Merchant.LocalTime(view.Request.Content.ExpiresAt)}. Contact {merchant} for a new link.",
                merchant: merchant, kind: "warn"),
            PaymentPageState.Unavailable => Message("Payment link unavailable", "This payment link is no longer available",
                $"Contact {merchant} to arrange your payment.", merchant: merchant, kind: "bad"),
            _ when returned == "paid" => Render<ConfirmingPage>(new { Merchant = merchant, Provider = provider }),
            _ => Render<PayPage>(new { View = view, Token = token, Provider = provider, Declined = returned == "declined" },
                formAction: $"'self' {gateway.CheckoutOrigin}"),
        };
    }

    private static IResult NotFoundPage() =>
        Message("Link not found", "This payment link is not valid",
            "Check the link in your message, or contact the organisation that sent it. We never ask for payment by any other link.",
            StatusCodes.Status404NotFound, kind: "bad");

    private static IResult TooManyGuesses() =>
        Message("Too many attempts", "Too many attempts",
            "Too many links that do not exist were opened from your connection. Wait a few minutes and open the link from your message again.",
            StatusCodes.Status429TooManyRequests, kind: "bad");

    /// <summary>
    /// A redirect with the pages' security headers: a short link to its page (302), or after a form post (303, which
    /// the browser follows with a GET). Its URL carries a bearer token, so no referrer and no caching either.
    /// </summary>
    private sealed class PageRedirect(string location, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = location;
            CustomerPages.SecureHeaders(context.Response, "'none'");
            return Task.CompletedTask;
        }
    }
}
