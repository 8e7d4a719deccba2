using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PayByLink.Http;
using PayByLink.Http.Events;

namespace PayByLink.Api;

/// <summary>The event timelines and webhook endpoints as HTTP-triggered functions: each one hands its request to the shared handler.</summary>
public sealed class EventFunctions(EventServices services)
{
    [Function("ListPaymentRequestEvents")]
    public async Task<IResult> RequestEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.PaymentRequestEvents)] HttpRequest request,
        string requestId,
        CancellationToken cancellationToken) =>
        await EventsApi.RequestEvents(request, requestId, services, cancellationToken);

    [Function("ListBatchEvents")]
    public async Task<IResult> BatchEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.BatchEvents)] HttpRequest request,
        string batchId,
        CancellationToken cancellationToken) =>
        await EventsApi.BatchEvents(request, batchId, services, cancellationToken);

    [Function("RedeliverEvent")]
    public async Task<IResult> Redeliver(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RedeliverEvent)] HttpRequest request,
        string eventId,
        CancellationToken cancellationToken) =>
        await EventsApi.Redeliver(request, eventId, services, cancellationToken);

    [Function("CreateWebhookEndpoint")]
    public async Task<IResult> AddEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.WebhookEndpoints)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await EventsApi.AddEndpoint(request, services, cancellationToken);

    [Function("ListWebhookEndpoints")]
    public async Task<IResult> ListEndpoints(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.WebhookEndpoints)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await EventsApi.ListEndpoints(request, services, cancellationToken);

    [Function("GetWebhookEndpoint")]
    public async Task<IResult> GetEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.WebhookEndpoint)] HttpRequest request,
        string endpointId,
        CancellationToken cancellationToken) =>
        await EventsApi.GetEndpoint(request, endpointId, services, cancellationToken);

    [Function("DeleteWebhookEndpoint")]
    public async Task<IResult> DeleteEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.WebhookEndpoint)] HttpRequest request,
        string endpointId,
        CancellationToken cancellationToken) =>
        await EventsApi.DeleteEndpoint(request, endpointId, services, cancellationToken);

    [Function("RotateWebhookSecret")]
    public async Task<IResult> RotateSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RotateWebhookSecret)] HttpRequest request,
        string endpointId,
        CancellationToken cancellationToken) =>
        await EventsApi.RotateSecret(request, endpointId, services, cancellationToken);

    [Function("EnableWebhookEndpoint")]
    public async Task<IResult> EnableEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.EnableWebhookEndpoint)] HttpRequest request,
        string endpointId,
        CancellationToken cancellationToken) =>
        await EventsApi.EnableEndpoint(request, endpointId, services, cancellationToken);

    [Function("ListWebhookDeliveries")]
    public async Task<IResult> ListDeliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.WebhookDeliveries)] HttpRequest request,
        string endpointId,
        CancellationToken cancellationToken) =>
        await EventsApi.ListDeliveries(request, endpointId, services, cancellationToken);
}
