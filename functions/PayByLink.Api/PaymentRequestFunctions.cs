using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PayByLink.Http;
using PayByLink.Http.PaymentRequests;

namespace PayByLink.Api;

/// <summary>The payment-request API as HTTP-triggered functions: each one hands its request to the shared handler.</summary>
public sealed class PaymentRequestFunctions(PaymentRequestServices services)
{
    [Function("CreatePaymentRequest")]
    public async Task<IResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.PaymentRequests)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await PaymentRequestsApi.Create(request, services, cancellationToken);

    [Function("GetPaymentRequest")]
    public async Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PaymentRequest)] HttpRequest request,
        string requestId,
        CancellationToken cancellationToken) =>
        await PaymentRequestsApi.Get(request, requestId, services, cancellationToken);

    [Function("ListPaymentRequests")]
    public async Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PaymentRequests)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await PaymentRequestsApi.List(request, services, cancellationToken);

    [Function("UpdatePaymentRequestStatus")]
    public async Task<IResult> UpdateStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.PaymentRequest)] HttpRequest request,
        string requestId,
        CancellationToken cancellationToken) =>
        await PaymentRequestsApi.UpdateStatus(request, requestId, services, cancellationToken);

    [Function("ResendPaymentRequest")]
    public async Task<IResult> Resend(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ResendPaymentRequest)] HttpRequest request,
        string requestId,
        CancellationToken cancellationToken) =>
        await PaymentRequestsApi.Resend(request, requestId, services, cancellationToken);
}
