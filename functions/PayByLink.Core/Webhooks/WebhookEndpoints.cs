using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Webhooks;

public sealed record NewWebhookEndpoint(string? Url, IReadOnlyList<string>? Events, string? Description);

public enum RedeliverOutcome
{
    Queued,
    EventNotFound,
    EndpointNotFound,

    /// <summary>No enabled endpoint subscribes to the event's type.</summary>
    NoEndpoint,
}

/// <summary>A merchant's webhook endpoints: registered, listed, rotated, deleted; and an event sent to them again.</summary>
public sealed class WebhookEndpoints(
    IWebhookStore store,
    IWebhookQueue queue,
    IEventLog events,
    IHostResolver resolver,
    WebhookUrlRules rules,
    WebhookDispatch dispatch,
    ITokenSource tokens,
    TimeProvider clock)
{
    public const int MaxPerMerchant = 5;
    public const int MaxDescriptionLength = 200;
    public static readonly TimeSpan PreviousSecretLasts = TimeSpan.FromHours(24);

    public async Task<(WebhookEndpoint? Endpoint, IReadOnlyList<FieldError> Errors)> AddAsync(string merchantId, NewWebhookEndpoint input,
        CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (rules.Check(input.Url) is { } urlError)
        {
            errors.Add(new FieldError("url", "invalid_url", urlError));
        }
        else if (await CheckAddressesAsync(new Uri(input.Url!), cancellationToken) is { } addressError)
        {
            errors.Add(new FieldError("url", "invalid_url", addressError));
        }

        var types = input.Events ?? [];
        if (types.Count == 0)
        {
            errors.Add(new FieldError("events", "required", "events must name at least one event type, or \"*\" for all."));
        }
        else if (types.FirstOrDefault(t => t != WebhookEndpoint.AllEvents && !EventTypes.All.Contains(t)) is { } unknown)
        {
            errors.Add(new FieldError("events", "unknown_event_type", $"'{unknown}' is not an event type. Known types: {string.Join(", ", EventTypes.All)}."));
        }

        if (input.Description is { Length: > MaxDescriptionLength })
        {
            errors.Add(new FieldError("description", "too_long", $"description must be at most {MaxDescriptionLength} characters."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        if ((await store.ListEndpointsAsync(merchantId, cancellationToken)).Count >= MaxPerMerchant)
        {
            return (null, [new FieldError("url", "too_many_endpoints", $"A merchant may have at most {MaxPerMerchant} webhook endpoints; delete one first.")]);
        }

        var endpoint = new WebhookEndpoint(merchantId, tokens.NewWebhookEndpointId(), new Uri(input.Url!).AbsoluteUri,
            types.Contains(WebhookEndpoint.AllEvents) ? [WebhookEndpoint.AllEvents] : types.Distinct().ToList(),
            string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim(), tokens.NewWebhookSecret(), clock.GetUtcNow());
        await store.AddEndpointAsync(endpoint, cancellationToken);
        dispatch.Forget(merchantId);
        return (endpoint, []);
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> ListAsync(string merchantId, CancellationToken cancellationToken) =>
        (await store.ListEndpointsAsync(merchantId, cancellationToken)).Select(e => e.Value).OrderBy(e => e.CreatedAt).ToList();

    public async Task<WebhookEndpoint?> FindAsync(string merchantId, string endpointId, CancellationToken cancellationToken) =>
        (await store.FindEndpointAsync(merchantId, endpointId, cancellationToken))?.Value;

    public async Task<bool> DeleteAsync(string merchantId, string endpointId, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteEndpointAsync(merchantId, endpointId, cancellationToken);
        dispatch.Forget(merchantId);
        return deleted;
    }

    /// <summary>A new secret, shown once; the old one keeps signing (as a second <c>v1</c>) for a day.</summary>
    public Task<WebhookEndpoint?> RotateSecretAsync(string merchantId, string endpointId, CancellationToken cancellationToken) =>
        ChangeAsync(merchantId, endpointId, e => e with
        {
            Secret = tokens.NewWebhookSecret(),
            PreviousSecret = e.Secret,
            PreviousSecretExpiresAt = clock.GetUtcNow() + PreviousSecretLasts,
        }, cancellationToken);

    /// <summary>
    /// Takes a disabled endpoint back: events from now on are sent to it (those given up while it failed are not,
    /// unless redelivered).
    /// </summary>
    public Task<WebhookEndpoint?> EnableAsync(string merchantId, string endpointId, CancellationToken cancellationToken) =>
        ChangeAsync(merchantId, endpointId, e => e with { DisabledAt = null, DisabledReason = null, FailingSince = null }, cancellationToken);

    /// <summary>Stops sending to the endpoint until it is enabled again; its events meanwhile can be redelivered then.</summary>
    public Task<WebhookEndpoint?> DisableAsync(string merchantId, string endpointId, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(merchantId, endpointId, e => e.IsEnabled ? e with { DisabledAt = clock.GetUtcNow(), DisabledReason = reason } : e, cancellationToken);

    private Task<WebhookEndpoint?> ChangeAsync(string merchantId, string endpointId, Func<WebhookEndpoint, WebhookEndpoint> change,
        CancellationToken cancellationToken) =>
        ConditionalWrite.RetryAsync($"Endpoint {endpointId}", async _ =>
        {
            if (await store.FindEndpointAsync(merchantId, endpointId, cancellationToken) is not { } found)
            {
                return WriteAttempt.Done<WebhookEndpoint?>(null);
            }

            var changed = change(found.Value);
            if (!await store.TryReplaceEndpointAsync(found, changed, cancellationToken))
            {
                return WriteAttempt<WebhookEndpoint?>.Conflict;
            }

            dispatch.Forget(merchantId);
            return WriteAttempt.Done<WebhookEndpoint?>(changed);
        });

    /// <summary>Sends an event again to one endpoint, or to every enabled endpoint that subscribes to its type.</summary>
    public async Task<(RedeliverOutcome Outcome, IReadOnlyList<string> EndpointIds)> RedeliverAsync(string merchantId, string eventId, string? endpointId,
        CancellationToken cancellationToken)
    {
        if (!EventIds.TryParse(eventId, out var subjectId, out var sequence) ||
            (await events.ListAsync(merchantId, subjectId, cancellationToken)).FirstOrDefault(e => e.Sequence == sequence) is not { } found)
        {
            return (RedeliverOutcome.EventNotFound, []);
        }

        var endpoints = (await store.ListEndpointsAsync(merchantId, cancellationToken)).Select(e => e.Value).ToList();
        if (endpointId is not null)
        {
            endpoints = endpoints.Where(e => e.EndpointId == endpointId).ToList();
            if (endpoints.Count == 0)
            {
                return (RedeliverOutcome.EndpointNotFound, []);
            }
        }

        endpoints = endpoints.Where(e => e.IsEnabled && e.Wants(found.Type)).ToList();
        if (endpoints.Count == 0)
        {
            return (RedeliverOutcome.NoEndpoint, []);
        }

        var now = clock.GetUtcNow();
        foreach (var endpoint in endpoints)
        {
            // Due now, from the delivery as it stands; one being delivered at this moment is left to its worker.
            await ConditionalWrite.RetryAsync($"The delivery of {found.EventId} to {endpoint.EndpointId}", async _ =>
            {
                var existing = await store.FindDeliveryAsync(merchantId, endpoint.EndpointId, found.EventId, found.CreatedAt, cancellationToken);
                if (existing?.Value.Status == WebhookDeliveryStatus.Delivering)
                {
                    return WriteAttempt.Done(false);
                }

                var due = (existing?.Value ?? DeliverWebhooks.NewDelivery(endpoint, found)) with
                {
                    Status = WebhookDeliveryStatus.Pending,
                    NextAttemptAt = now,
                    FirstAttemptAt = null,
                };
                return await store.TrySaveDeliveryAsync(due, existing?.Version, cancellationToken) is not null
                    ? WriteAttempt.Done(true)
                    : WriteAttempt<bool>.Conflict;
            });

            await queue.EnqueueAsync(new WebhookWork(merchantId, endpoint.EndpointId, subjectId), TimeSpan.Zero, cancellationToken);
        }

        return (RedeliverOutcome.Queued, endpoints.Select(e => e.EndpointId).ToList());
    }

    private async Task<string?> CheckAddressesAsync(Uri url, CancellationToken cancellationToken)
    {
        if (rules.LocalRuntime)
        {
            return null;
        }

        IReadOnlyList<System.Net.IPAddress> addresses;
        try
        {
            addresses = await resolver.ResolveAsync(url.IdnHost, cancellationToken);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return $"url's host {url.IdnHost} could not be resolved.";
        }

        return addresses.Count == 0 ? $"url's host {url.IdnHost} could not be resolved."
            : addresses.All(rules.Allows) ? null
            : "url must not point at a private, loopback or link-local address.";
    }
}
