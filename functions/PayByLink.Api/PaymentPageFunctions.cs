using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PayByLink.Http.Pages;

namespace PayByLink.Api;

/// <summary>The customer's pages and the payment provider's callback as HTTP-triggered functions.</summary>
public sealed class PaymentPageFunctions(PaymentPageServices services)
{
    [Function("ShortLink")]
    public Task<IResult> ShortLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.ShortLink)] HttpRequest request,
        string code,
        CancellationToken cancellationToken) =>
        PaymentPagesApi.ShortLink(request.HttpContext, code, services, cancellationToken);

    [Function("PaymentPage")]
    public Task<IResult> Show(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.PaymentPage)] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        PaymentPagesApi.Show(request.HttpContext, token, services, cancellationToken);

    [Function("Checkout")]
    public Task<IResult> Checkout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PageRoutes.Checkout)] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        PaymentPagesApi.Checkout(request.HttpContext, token, services, cancellationToken);

    [Function("PaymentPageStylesheet")]
    public IResult Stylesheet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.Stylesheet)] HttpRequest request) =>
        PaymentPagesApi.Stylesheet();

    [Function("Unsubscribe")]
    public Task<IResult> Unsubscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = PageRoutes.Unsubscribe)] HttpRequest request,
        string token,
        CancellationToken cancellationToken) =>
        PaymentPagesApi.Unsubscribe(request.HttpContext, token, services, cancellationToken);

    [Function("PaymentCallback")]
    public Task<IResult> Callback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PageRoutes.Callback)] HttpRequest request,
        string provider,
        CancellationToken cancellationToken) =>
        PaymentPagesApi.Callback(request, provider, services, cancellationToken);
}
