using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PayByLink.Http;
using PayByLink.Http.Carrier;
using PayByLink.Http.Suppressions;

namespace PayByLink.Api;

/// <summary>
/// Azure Communication Services' events (by Event Grid) and the merchant's opt-out list as HTTP-triggered functions,
/// each handing its request to the shared handler.
/// </summary>
public sealed class CarrierFunctions(CarrierEvents events, Core.Delivery.OptOuts optOuts)
{
    [Function("CarrierEvents")]
    public Task<IResult> Receive(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.CarrierEvents)] HttpRequest request,
        CancellationToken cancellationToken) =>
        CarrierEventsApi.Receive(request, events, cancellationToken);

    [Function("CarrierEventsHandshake")]
    public IResult Handshake(
        [HttpTrigger(AuthorizationLevel.Anonymous, "options", Route = ApiRoutes.CarrierEvents)] HttpRequest request) =>
        CarrierEventsApi.Handshake(request, events);

    [Function("ListOptOuts")]
    public async Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OptOuts)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await OptOutsApi.List(request, optOuts, cancellationToken);

    [Function("AddOptOut")]
    public async Task<IResult> Add(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.OptOuts)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await OptOutsApi.Add(request, optOuts, cancellationToken);

    [Function("RemoveOptOut")]
    public async Task<IResult> Remove(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = ApiRoutes.OptOuts)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await OptOutsApi.Remove(request, optOuts, cancellationToken);
}
