using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PayByLink.Http;
using PayByLink.Http.Events;

namespace PayByLink.Api;

/// <summary>The event timelines and webhook endpoints as HTTP-triggered functions: each one hands its request to the shared handler.</summary>
public sealed class EventFunctions(EventServices services)
{
    [Function("ListPaymentRequestEvents")]
    public Task<IResult> RequestEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PaymentRequestEvents)] HttpRequest request,
        string requestId,
        CancellationToken cancellationToken) =>
        EventsApi.RequestEvents(request, requestId, services, cancellationToken);

    [Function("ListBatchEvents")]
    public Task<IResult> BatchEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.BatchEvents)] HttpRequest request,
        string batchId,
        CancellationToken cancellationToken) =>
        EventsApi.BatchEvents(request, batchId, services, cancellationToken);

    [Function("RedeliverEvent")]
    public Task<IResult> Redeliver(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RedeliverEvent)] HttpRequest request,
        string eventId,
        CancellationToken cancellationToken) =>
        EventsApi.Redeliver(request, eventId, services, cancellationToken);

    [Function("CreateWebhookEndpoint")]
    public Task<IResult> AddEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.WebhookEndpoints)] HttpRequest request,
        CancellationToken cancellationToken) =>
        EventsApi.AddEndpoint(request, services, cancellationToken);

    [Function("ListWebhookEndpoints")]
    public Task<IResult> ListEndpoints(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.WebhookEndpoints)] HttpRequest request,
        CancellationToken cancellationToken) =>
        EventsApi.ListEndpoints(request, services, cancellationToken);

    [Function("GetWebhookEndpoint")]
    public Task<IResult> GetEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.WebhookEndpoint)] HttpRequest request,
        string endpointId,
        CancellationToken cancellationToken) =>
        EventsApi.GetEndpoint(request, endpointId, services, cancellationToken);

    [Function("DeleteWebhookEndpoint")]
    public Task<IResult> DeleteEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.WebhookEndpoint)] HttpRequest request,
        string endpointId,
        CancellationToken cancellationToken) =>
        EventsApi.DeleteEndpoint(request, endpointId, services, cancellationToken);

    [Function("RotateWebhookSecret")]
    public Task<IResult> RotateSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RotateWebhookSecret)] HttpRequest request,
        string endpointId,
        CancellationToken cancellationToken) =>
        EventsApi.RotateSecret(request, endpointId, services, cancellationToken);

    [Function("EnableWebhookEndpoint")]
    public Task<IResult> EnableEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.EnableWebhookEndpoint)] HttpRequest request,
        string endpointId,
        CancellationToken cancellationToken) =>
        EventsApi.EnableEndpoint(request, endpointId, services, cancellationToken);

    [Function("ListWebhookDeliveries")]
    public Task<IResult> ListDeliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.WebhookDeliveries)] HttpRequest request,
        string endpointId,
        CancellationToken cancellationToken) =>
        EventsApi.ListDeliveries(request, endpointId, services, cancellationToken);
}
