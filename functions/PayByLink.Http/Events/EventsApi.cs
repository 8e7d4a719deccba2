using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Ports;
using PayByLink.Core.Webhooks;

namespace PayByLink.Http.Events;

public sealed record NewWebhookEndpointRequest(
    [property: Required, Description("https URL that receives the events (the local runtime also takes http).")] string? Url,
    [property: Required, Description("Event types to send, or [\"*\"] for all.")] IReadOnlyList<string>? Events,
    [property: Description("For the merchant's own records; at most 200 characters.")] string? Description);

public sealed record RedeliverRequest([property: Description("Send to this endpoint only; when absent, to every enabled endpoint that takes the event's type.")] string? EndpointId);

public sealed record WebhookEndpointView(
    string EndpointId,
    string Url,
    IReadOnlyList<string> Events,
    string? Description,
    [property: Description("enabled, or disabled after every delivery failed for 3 days (see disabledReason).")] string Status,
    string? DisabledReason,
    DateTime? DisabledAt,
    [property: Description("Until when the secret before the last rotation still signs, as a second v1.")] DateTime? PreviousSecretExpiresAt,
    DateTime CreatedAt)
{
    public static WebhookEndpointView From(WebhookEndpoint e) => new(e.EndpointId, e.Url, e.Events, e.Description,
        e.IsEnabled ? "enabled" : "disabled", e.DisabledReason, e.DisabledAt?.UtcDateTime, e.PreviousSecretExpiresAt?.UtcDateTime, e.CreatedAt.UtcDateTime);
}

public sealed record CreatedWebhookEndpointView(
    string EndpointId,
    string Url,
    IReadOnlyList<string> Events,
    string? Description,
    [property: Description("whsec_…: shown only now. Verify PayByLink-Signature with it.")] string Secret,
    DateTime CreatedAt);

public sealed record RotatedSecretView(string EndpointId, [property: Description("The new secret, shown only now.")] string Secret, DateTime PreviousSecretExpiresAt);

public sealed record WebhookEndpointListView(IReadOnlyList<WebhookEndpointView> Items);

public sealed record WebhookDeliveryView(
    string EventId,
    string EventType,
    DateTime EventCreatedAt,
    [property: Description("Pending (next attempt due), Delivering, Delivered or GaveUp.")] string Status,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTime? LastAttemptAt,
    DateTime? NextAttemptAt,
    [property: Description("Its attempts, oldest first (the last 20): when, the endpoint's answer or the error, and how long it took.")]
    IReadOnlyList<WebhookAttemptView> History)
{
    public static WebhookDeliveryView From(WebhookDelivery d) => new(d.EventId, d.EventType, d.EventCreatedAt.UtcDateTime, d.Status.ToString(), d.Attempts,
        d.LastStatusCode, d.LastError, d.LastAttemptAt?.UtcDateTime, d.NextAttemptAt?.UtcDateTime,
        d.History.Select(a => new WebhookAttemptView(a.At.UtcDateTime, a.StatusCode, a.Error, a.DurationMs)).ToList());
}

public sealed record WebhookAttemptView(DateTime At, int? StatusCode, string? Error, int DurationMs);

public sealed record WebhookDeliveryListView(IReadOnlyList<WebhookDeliveryView> Items, string? ContinuationToken);

public sealed record RedeliveryView(string EventId, IReadOnlyList<string> EndpointIds);

/// <summary>The event timelines and the webhook endpoints. Both the local runtime and the Functions app call these handlers.</summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/").WithTags("Events");
        events.MapGet(ApiRoutes.PaymentRequestEvents, RequestEvents).WithName("ListPaymentRequestEvents")
            .WithSummary("A payment request's events")
            .WithDescription("Every change of the request, oldest first: the same events its webhooks carry.");
        events.MapGet(ApiRoutes.BatchEvents, BatchEvents).WithName("ListBatchEvents")
            .WithSummary("A batch's events")
            .WithDescription("batch.processing, then batch.completed, .failed or .expired, oldest first.");
        events.MapPost(ApiRoutes.RedeliverEvent, Redeliver).WithName("RedeliverEvent")
            .WithSummary("Send an event again")
            .WithDescription("Queues the event, with the same id, for every enabled endpoint that takes its type, or for the one named. 202.")
            .Accepts<RedeliverRequest>(ApiJson.ContentType);

        var webhooks = app.MapGroup("/").WithTags("Webhooks");
        webhooks.MapPost(ApiRoutes.WebhookEndpoints, AddEndpoint).WithName("CreateWebhookEndpoint")
            .WithSummary("Register a webhook endpoint")
            .WithDescription("At most 5 per merchant. The answer carries the signing secret, shown only this once.")
            .Accepts<NewWebhookEndpointRequest>(ApiJson.ContentType);
        webhooks.MapGet(ApiRoutes.WebhookEndpoints, ListEndpoints).WithName("ListWebhookEndpoints")
            .WithSummary("List webhook endpoints")
            .WithDescription("Oldest first, without their secrets.");
        webhooks.MapGet(ApiRoutes.WebhookEndpoint, GetEndpoint).WithName("GetWebhookEndpoint")
            .WithSummary("Get a webhook endpoint")
            .WithDescription("Without its secret; a disabled endpoint says why.");
        webhooks.MapDelete(ApiRoutes.WebhookEndpoint, DeleteEndpoint).WithName("DeleteWebhookEndpoint")
            .WithSummary("Delete a webhook endpoint")
            .WithDescription("Nothing more is sent to it. 204.");
        webhooks.MapPost(ApiRoutes.RotateWebhookSecret, RotateSecret).WithName("RotateWebhookSecret")
            .WithSummary("Rotate a webhook endpoint's secret")
            .WithDescription("A new secret, shown only now. For 24 hours both sign: the header then carries two v1= values.");
        webhooks.MapPost(ApiRoutes.EnableWebhookEndpoint, EnableEndpoint).WithName("EnableWebhookEndpoint")
            .WithSummary("Enable a disabled webhook endpoint")
            .WithDescription("Events from now on are sent to it again; events given up while it failed are not, unless redelivered.");
        webhooks.MapGet(ApiRoutes.WebhookDeliveries, ListDeliveries).WithName("ListWebhookDeliveries")
            .WithSummary("List an endpoint's deliveries")
            .WithDescription("Newest event first: each event's attempts, last status code or error, and next attempt.")
            .WithQueryParameters(
                ApiDocument.ContinuationPaging("MjAy…"));
        return app;
    }

    public static Task<Results<Ok<EventListView>, NotFoundProblem>> RequestEvents(HttpRequest http, string requestId, EventServices services, CancellationToken cancellationToken) =>
        TimelineAsync(http, requestId, "Payment request",
            async (merchantId, ct) => EventIds.IsRequest(requestId) && await services.Requests.FindAsync(merchantId, requestId, ct) is not null,
            services, cancellationToken);

    public static Task<Results<Ok<EventListView>, NotFoundProblem>> BatchEvents(HttpRequest http, string batchId, EventServices services, CancellationToken cancellationToken) =>
        TimelineAsync(http, batchId, "Batch",
            async (merchantId, ct) => EventIds.IsBatch(batchId) && await services.Batches.FindAsync(merchantId, batchId, ct) is not null,
            services, cancellationToken);

    public static async Task<Results<Accepted<RedeliveryView>, NotFoundProblem, ConflictProblem, BodyProblem>> Redeliver(HttpRequest http, string eventId, EventServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        string? endpointId = null;
        if (http.ContentLength is > 0 || http.Headers.TransferEncoding.Count > 0)
        {
            var (body, problem) = await JsonBody.ReadAsync<RedeliverRequest>(http, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            endpointId = body!.EndpointId;
        }

        var (outcome, endpoints) = await services.Endpoints.RedeliverAsync(merchant.Id, eventId, endpointId, cancellationToken);
        return outcome switch
        {
            RedeliverOutcome.EventNotFound => Problems.NotFound("Event"),
            RedeliverOutcome.EndpointNotFound => Problems.NotFound("Webhook endpoint"),
            RedeliverOutcome.NoEndpoint => Problems.Conflict("no-webhook-endpoint", "No enabled webhook endpoint takes this event.",
                "Register an endpoint for its type (or \"*\"), or enable one, then redeliver."),
            _ => TypedResults.Accepted((string?)null, new RedeliveryView(eventId, endpoints)),
        };
    }

    public static async Task<Results<Created<CreatedWebhookEndpointView>, ValidationProblem, BodyProblem>> AddEndpoint(HttpRequest http, EventServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var (input, problem) = await JsonBody.ReadAsync<NewWebhookEndpointRequest>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (endpoint, errors) = await services.Endpoints.AddAsync(merchant.Id, new NewWebhookEndpoint(input!.Url, input.Events, input.Description),
            cancellationToken);
        return endpoint is null
            ? Problems.Validation(errors)
            : TypedResults.Created($"/{ApiRoutes.WebhookEndpoints}/{endpoint.EndpointId}",
                new CreatedWebhookEndpointView(endpoint.EndpointId, endpoint.Url, endpoint.Events, endpoint.Description, endpoint.Secret,
                    endpoint.CreatedAt.UtcDateTime));
    }

    public static async Task<Ok<WebhookEndpointListView>> ListEndpoints(HttpRequest http, EventServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok(new WebhookEndpointListView((await services.Endpoints.ListAsync(http.Merchant().Id, cancellationToken))
            .Select(WebhookEndpointView.From).ToList()));

    public static async Task<Results<Ok<WebhookEndpointView>, NotFoundProblem>> GetEndpoint(HttpRequest http, string endpointId, EventServices services, CancellationToken cancellationToken) =>
        await services.Endpoints.FindAsync(http.Merchant().Id, endpointId, cancellationToken) is { } endpoint
            ? TypedResults.Ok(WebhookEndpointView.From(endpoint))
            : Problems.NotFound("Webhook endpoint");

    public static async Task<Results<NoContent, NotFoundProblem>> DeleteEndpoint(HttpRequest http, string endpointId, EventServices services, CancellationToken cancellationToken) =>
        await services.Endpoints.DeleteAsync(http.Merchant().Id, endpointId, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound("Webhook endpoint");

    public static async Task<Results<Ok<RotatedSecretView>, NotFoundProblem>> RotateSecret(HttpRequest http, string endpointId, EventServices services, CancellationToken cancellationToken) =>
        await services.Endpoints.RotateSecretAsync(http.Merchant().Id, endpointId, cancellationToken) is { } rotated
            ? TypedResults.Ok(new RotatedSecretView(rotated.EndpointId, rotated.Secret, rotated.PreviousSecretExpiresAt!.Value.UtcDateTime))
            : Problems.NotFound("Webhook endpoint");

    public static async Task<Results<Ok<WebhookEndpointView>, NotFoundProblem>> EnableEndpoint(HttpRequest http, string endpointId, EventServices services, CancellationToken cancellationToken) =>
        await services.Endpoints.EnableAsync(http.Merchant().Id, endpointId, cancellationToken) is { } enabled
            ? TypedResults.Ok(WebhookEndpointView.From(enabled))
            : Problems.NotFound("Webhook endpoint");

    public static async Task<Results<Ok<WebhookDeliveryListView>, ValidationProblem, NotFoundProblem>> ListDeliveries(HttpRequest http, string endpointId, EventServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        if (await services.Endpoints.FindAsync(merchant.Id, endpointId, cancellationToken) is null)
        {
            return Problems.NotFound("Webhook endpoint");
        }

        var pageSize = Paging.DefaultPageSize;
        if (http.Query["pageSize"].FirstOrDefault() is { } size &&
            (!int.TryParse(size, out pageSize) || pageSize < 1 || pageSize > Paging.MaxPageSize))
        {
            return Problems.Validation("pageSize", "invalid_page_size", $"pageSize must be a whole number from 1 to {Paging.MaxPageSize}.");
        }

        try
        {
            var (items, next) = await services.Store.ListDeliveriesAsync(merchant.Id, endpointId, pageSize,
                http.Query["continuationToken"].FirstOrDefault(), cancellationToken);
            return TypedResults.Ok(new WebhookDeliveryListView(items.Select(WebhookDeliveryView.From).ToList(), next));
        }
        catch (InvalidContinuationTokenException e)
        {
            return Problems.Validation("continuationToken", "invalid_continuation_token", e.Message);
        }
    }

    private static async Task<Results<Ok<EventListView>, NotFoundProblem>> TimelineAsync(HttpRequest http, string subjectId, string what, Func<string, CancellationToken, Task<bool>> exists,
        EventServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        if (!await exists(merchant.Id, cancellationToken))
        {
            return Problems.NotFound(what);
        }

        var events = await services.Events.ListAsync(merchant.Id, subjectId, cancellationToken);
        return TypedResults.Ok(new EventListView(events.Select(e => EventView.From(e, services.Links)).ToList()));
    }
}
