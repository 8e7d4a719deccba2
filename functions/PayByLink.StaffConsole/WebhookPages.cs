using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Audit;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Staff;
using PayByLink.Core.Webhooks;
using PayByLink.Http.Events;
using PayByLink.StaffConsole.Pages;

namespace PayByLink.StaffConsole;

/// <summary>
/// The admin's webhooks, through the API's own use cases: register an endpoint (its secret shown once), list them,
/// enable or disable one, rotate its secret, and read its deliveries with every attempt (when, the answer, how long)
/// and send an event again. Locally, the runtime's own receiver is offered to register.
/// </summary>
public static class WebhookPages
{
    private const int DeliveriesShown = 50;

    public static RouteGroupBuilder MapWebhookPages(this RouteGroupBuilder console)
    {
        console.MapGet(ConsoleRoutes.AdminWebhooks, List).Requires(StaffRole.Admin);
        console.MapPost(ConsoleRoutes.AdminWebhooks, Register).Requires(StaffRole.Admin);
        console.MapGet(ConsoleRoutes.AdminWebhook, Show).Requires(StaffRole.Admin);
        console.MapPost(ConsoleRoutes.WebhookAction, Act).Requires(StaffRole.Admin);
        return console;
    }

    private static async Task<IResult> List(HttpContext http, EventServices services, WebhookUrlRules rules, CancellationToken cancellationToken) =>
        await ListPageAsync(http, services, rules, [], null, StatusCodes.Status200OK, cancellationToken);

    private static async Task<IResult> Register(HttpContext http, EventServices services, WebhookUrlRules rules, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var events = form["events"].Where(e => !string.IsNullOrEmpty(e)).Select(e => e!).ToList();
        var (endpoint, errors) = await services.Endpoints.AddAsync(http.ConsoleUser().Merchant!.Id,
            new NewWebhookEndpoint(form["url"], events.Count == 0 ? [WebhookEndpoint.AllEvents] : events, form["description"]), cancellationToken);
        if (endpoint is null)
        {
            return await ListPageAsync(http, services, rules, errors, null, StatusCodes.Status400BadRequest, cancellationToken,
                (form["url"].ToString(), form["description"].ToString()));
        }

        await http.RecordAsync(AuditActions.WebhookRegistered, endpoint.EndpointId, endpoint.Url);
        return await ShowAsync(http, services, endpoint.EndpointId, endpoint.Secret, "The endpoint is registered.", cancellationToken);
    }

    private static async Task<IResult> Show(HttpContext http, string endpointId, string? done, EventServices services, CancellationToken cancellationToken) =>
        await ShowAsync(http, services, endpointId, null, done switch
        {
            "enable" => "The endpoint is enabled: events go to it again.",
            "disable" => "The endpoint is disabled: nothing is sent to it until it is enabled.",
            "redeliver" => "The event is queued to be sent again.",
            _ => null,
        }, cancellationToken);

    private static async Task<IResult> Act(HttpContext http, string endpointId, string action, EventServices services, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var merchantId = user.Merchant!.Id;
        switch (action)
        {
            case "rotate":
                if (await services.Endpoints.RotateSecretAsync(merchantId, endpointId, cancellationToken) is not { } rotated)
                {
                    return ConsolePages.NotFound(user);
                }

                await http.RecordAsync(AuditActions.WebhookSecretRotated, endpointId);
                return await ShowAsync(http, services, endpointId, rotated.Secret,
                    $"The secret is rotated: for {WebhookEndpoints.PreviousSecretLasts.TotalHours:0} hours events are signed with both.", cancellationToken);
            case "redeliver":
                var form = await http.Request.ReadFormAsync(cancellationToken);
                var (outcome, _) = await services.Endpoints.RedeliverAsync(merchantId, form["eventId"].ToString(), endpointId, cancellationToken);
                if (outcome is RedeliverOutcome.EndpointNotFound)
                {
                    return ConsolePages.NotFound(user);
                }

                if (outcome is not RedeliverOutcome.Queued)
                {
                    return await ShowAsync(http, services, endpointId, null, null, cancellationToken,
                        outcome == RedeliverOutcome.NoEndpoint ? "Enable the endpoint first: a disabled endpoint is sent nothing." : "There is no such event.");
                }

                await http.RecordAsync(AuditActions.EventRedelivered, endpointId, form["eventId"].ToString());
                break;
            default:
                var changed = action == "enable"
                    ? await services.Endpoints.EnableAsync(merchantId, endpointId, cancellationToken)
                    : await services.Endpoints.DisableAsync(merchantId, endpointId, $"Disabled by {user.Name}.", cancellationToken);
                if (changed is null)
                {
                    return ConsolePages.NotFound(user);
                }

                await http.RecordAsync(action == "enable" ? AuditActions.WebhookEnabled : AuditActions.WebhookDisabled, endpointId);
                break;
        }

        return Results.Redirect($"{ConsoleRoutes.WebhookPage(endpointId)}?done={action}");
    }

    private static async Task<IResult> ShowAsync(HttpContext http, EventServices services, string endpointId, string? secret, string? notice,
        CancellationToken cancellationToken, string? error = null)
    {
        var user = http.ConsoleUser();
        if (await services.Endpoints.FindAsync(user.Merchant!.Id, endpointId, cancellationToken) is not { } endpoint)
        {
            return ConsolePages.NotFound(user);
        }

        var (deliveries, _) = await services.Store.ListDeliveriesAsync(user.Merchant.Id, endpointId, DeliveriesShown, null, cancellationToken);
        return ConsolePages.Render<WebhookPage>(new
        {
            User = user, Endpoint = endpoint, Deliveries = deliveries, Secret = secret, Notice = notice,
            Errors = error is null ? Array.Empty<FieldError>() : [new FieldError("deliveries", "refused", error)],
        }, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> ListPageAsync(HttpContext http, EventServices services, WebhookUrlRules rules, IReadOnlyList<FieldError> errors,
        string? notice, int statusCode, CancellationToken cancellationToken, (string Url, string Description)? form = null)
    {
        var user = http.ConsoleUser();
        return ConsolePages.Render<WebhooksPage>(new
        {
            User = user, Endpoints = await services.Endpoints.ListAsync(user.Merchant!.Id, cancellationToken), Errors = errors, Notice = notice,
            Url = form?.Url, Description = form?.Description,
            DevReceiver = rules.LocalRuntime ? $"{http.Request.Scheme}://{http.Request.Host}/dev/webhooks" : null,
        }, statusCode);
    }

    /// <summary>The event types an endpoint may subscribe to, for the form.</summary>
    public static IReadOnlyList<string> EventTypes => Core.Events.EventTypes.All;
}
