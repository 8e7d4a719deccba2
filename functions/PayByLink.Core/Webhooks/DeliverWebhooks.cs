using Microsoft.Extensions.Logging;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Webhooks;

/// <summary>
/// Brings one endpoint up to date with one request's (or batch's) events, oldest first: an event is not posted
/// before the earlier ones it wants are delivered or given up. Each post is claimed first (a short lease), so two
/// workers on the same work post an event once between them; a worker that dies mid-post leaves it to be posted
/// again, with the same event id, once the lease ends (at-least-once).
/// </summary>
public sealed partial class DeliverWebhooks(
    IWebhookStore store,
    IEventLog events,
    IEventBodies bodies,
    IWebhookClient client,
    WebhookRetryPolicy retries,
    TimeProvider clock,
    ILogger<DeliverWebhooks> logger)
{
    public async Task<DeliveryResult> ExecuteAsync(WebhookWork work, CancellationToken cancellationToken)
    {
        var found = await store.FindEndpointAsync(work.MerchantId, work.EndpointId, cancellationToken);
        if (found is not { Value.IsEnabled: true })
        {
            return DeliveryResult.Done;
        }

        var endpoint = found.Value;
        var wanted = (await events.ListAsync(work.MerchantId, work.SubjectId, cancellationToken))
            .Where(e => endpoint.Wants(e.Type) && e.CreatedAt >= endpoint.CreatedAt)
            .OrderBy(e => e.Sequence);
        foreach (var change in wanted)
        {
            var existing = await store.FindDeliveryAsync(work.MerchantId, endpoint.EndpointId, change.EventId, change.CreatedAt, cancellationToken);
            var now = clock.GetUtcNow();
            switch (existing?.Value)
            {
                case { Status: WebhookDeliveryStatus.Delivered or WebhookDeliveryStatus.GaveUp }:
                    continue;
                case { Status: WebhookDeliveryStatus.Delivering, LastAttemptAt: { } at } when now - at < retries.Lease:
                    return DeliveryResult.Later(retries.Lease - (now - at));
                case { Status: WebhookDeliveryStatus.Pending, NextAttemptAt: { } next } when next > now:
                    return DeliveryResult.Later(next - now);
            }

            var delivery = existing?.Value ?? NewDelivery(endpoint, change);
            var claimed = delivery with
            {
                Status = WebhookDeliveryStatus.Delivering,
                Attempts = delivery.Attempts + 1,
                FirstAttemptAt = delivery.FirstAttemptAt ?? now,
                LastAttemptAt = now,
                NextAttemptAt = null,
            };
            if (await store.TrySaveDeliveryAsync(claimed, existing?.Version, cancellationToken) is not { } version)
            {
                return DeliveryResult.Later(TimeSpan.FromSeconds(1)); // another worker claimed it first
            }

            var response = await PostAsync(endpoint, change, now, cancellationToken);
            var after = clock.GetUtcNow();
            claimed = claimed.Attempted(new WebhookAttempt(now, response.StatusCode, response.IsSuccess ? null : response.Error,
                (int)Math.Round((after - now).TotalMilliseconds)));
            if (response.IsSuccess)
            {
                if (await store.TrySaveDeliveryAsync(claimed with { Status = WebhookDeliveryStatus.Delivered, LastStatusCode = response.StatusCode, LastError = null },
                        version, cancellationToken) is null)
                {
                    return DeliveryResult.Later(TimeSpan.FromSeconds(1)); // the post outlived its lease and another worker took it
                }

                LogDelivered(change.EventId, endpoint.EndpointId, claimed.Attempts);
                if (endpoint.FailingSince is not null)
                {
                    endpoint = await UpdateEndpointAsync(found, e => e with { FailingSince = null }, cancellationToken) ?? endpoint;
                }

                continue;
            }

            var givingUp = after - claimed.FirstAttemptAt!.Value >= retries.GiveUpAfter;
            var retryAt = after + retries.Backoff(claimed.Attempts);
            if (await store.TrySaveDeliveryAsync(claimed with
                {
                    Status = givingUp ? WebhookDeliveryStatus.GaveUp : WebhookDeliveryStatus.Pending,
                    LastStatusCode = response.StatusCode,
                    LastError = response.Error ?? $"The endpoint answered {response.StatusCode}.",
                    NextAttemptAt = givingUp ? null : retryAt,
                }, version, cancellationToken) is null)
            {
                return DeliveryResult.Later(TimeSpan.FromSeconds(1)); // the post outlived its lease and another worker took it
            }

            LogFailed(change.EventId, endpoint.EndpointId, claimed.Attempts, response.StatusCode, response.Error, givingUp);

            var failingSince = endpoint.FailingSince ?? now;
            if (after - failingSince >= retries.DisableAfter)
            {
                await UpdateEndpointAsync(found, e => e with
                {
                    FailingSince = failingSince,
                    DisabledAt = after,
                    DisabledReason = $"Every delivery failed from {failingSince:u} to {after:u}; the last: {response.Error ?? $"HTTP {response.StatusCode}"}.",
                }, cancellationToken);
                LogDisabled(endpoint.EndpointId);
                return DeliveryResult.Done;
            }

            if (endpoint.FailingSince is null)
            {
                endpoint = await UpdateEndpointAsync(found, e => e with { FailingSince = failingSince }, cancellationToken) ?? endpoint;
            }

            if (!givingUp)
            {
                return DeliveryResult.Later(retryAt - after);
            }
        }

        return DeliveryResult.Done;
    }

    public static WebhookDelivery NewDelivery(WebhookEndpoint endpoint, DomainEvent change) =>
        new(endpoint.MerchantId, endpoint.EndpointId, change.EventId, change.Type, change.CreatedAt, WebhookDeliveryStatus.Pending, 0, null, null,
            null, null, null);

    private async Task<WebhookResponse> PostAsync(WebhookEndpoint endpoint, DomainEvent change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = bodies.Render(change);
        var headers = new Dictionary<string, string>
        {
            [WebhookSignature.Header] = WebhookSignature.Sign(endpoint.SigningSecrets(now), now, body),
            [WebhookSignature.EventIdHeader] = change.EventId,
        };

        // The client answers within the policy's timeout: no answer by then is a failed attempt like any other.
        return await client.PostAsync(new Uri(endpoint.Url), body, headers, cancellationToken);
    }

    /// <summary>Changes the endpoint from its latest version (re-read when it moved on); null when it is gone.</summary>
    private Task<WebhookEndpoint?> UpdateEndpointAsync(Versioned<WebhookEndpoint> found, Func<WebhookEndpoint, WebhookEndpoint> change,
        CancellationToken cancellationToken)
    {
        var current = found;
        return ConditionalWrite.RetryAsync($"Endpoint {found.Value.EndpointId}", async attempt =>
        {
            if (attempt > 1)
            {
                if (await store.FindEndpointAsync(found.Value.MerchantId, found.Value.EndpointId, cancellationToken) is not { } again)
                {
                    return WriteAttempt.Done<WebhookEndpoint?>(null);
                }

                current = again;
            }

            var changed = change(current.Value);
            return await store.TryReplaceEndpointAsync(current, changed, cancellationToken)
                ? WriteAttempt.Done<WebhookEndpoint?>(changed)
                : WriteAttempt<WebhookEndpoint?>.Conflict;
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} delivered to endpoint {EndpointId} on attempt {Attempt}")]
    private partial void LogDelivered(string eventId, string endpointId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event {EventId} to endpoint {EndpointId} attempt {Attempt} failed ({StatusCode}: {Error}); given up: {GivenUp}")]
    private partial void LogFailed(string eventId, string endpointId, int attempt, int? statusCode, string? error, bool givenUp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} disabled: it failed every delivery for the retry period")]
    private partial void LogDisabled(string endpointId);
}
