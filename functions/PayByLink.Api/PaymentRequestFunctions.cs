using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PayByLink.Http;
using PayByLink.Http.PaymentRequests;

namespace PayByLink.Api;

/// <summary>The payment-request API as HTTP-triggered functions: each one hands its request to the shared handler.</summary>
public sealed class PaymentRequestFunctions(PaymentRequestServices services)
{
    [Function("CreatePaymentRequest")]
    public Task<IResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.PaymentRequests)] HttpRequest request,
        CancellationToken cancellationToken) =>
        PaymentRequestsApi.Create(request, services, cancellationToken);

    [Function("GetPaymentRequest")]
    public Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PaymentRequest)] HttpRequest request,
        string requestId,
        CancellationToken cancellationToken) =>
        PaymentRequestsApi.Get(request, requestId, services, cancellationToken);

    [Function("ListPaymentRequests")]
    public Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PaymentRequests)] HttpRequest request,
        CancellationToken cancellationToken) =>
        PaymentRequestsApi.List(request, services, cancellationToken);

    [Function("UpdatePaymentRequestStatus")]
    public Task<IResult> UpdateStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.PaymentRequest)] HttpRequest request,
        string requestId,
        CancellationToken cancellationToken) =>
        PaymentRequestsApi.UpdateStatus(request, requestId, services, cancellationToken);
}
