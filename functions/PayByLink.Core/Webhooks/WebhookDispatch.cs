using System.Collections.Concurrent;
using PayByLink.Core.Events;

namespace PayByLink.Core.Webhooks;

/// <summary>
/// Hears of every change and queues delivery work for each of the merchant's enabled endpoints that wants one of
/// its events: one work item per endpoint and request or batch, which delivers that subject's events in order. A
/// merchant's endpoints are remembered for <see cref="RememberFor"/>, so a merchant without endpoints costs nothing.
/// </summary>
public sealed class WebhookDispatch(IWebhookStore store, IWebhookQueue queue, TimeProvider clock) : IChangeConsumer
{
    public static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<WebhookEndpoint> Endpoints)> _endpoints = new();

    public async Task OnChangeAsync(Change change, CancellationToken cancellationToken)
    {
        foreach (var endpoint in await EndpointsAsync(change.MerchantId, cancellationToken))
        {
            // A repeat names no events: the work finds whatever is still to deliver.
            if (endpoint.IsEnabled && (change.Events.Count == 0 || change.Events.Any(e => endpoint.Wants(e.Type))))
            {
                await queue.EnqueueAsync(new WebhookWork(change.MerchantId, endpoint.EndpointId, change.SubjectId), TimeSpan.Zero, cancellationToken);
            }
        }
    }

    /// <summary>Drops what is remembered of the merchant's endpoints, after one was added, changed or deleted here.</summary>
    public void Forget(string merchantId) => _endpoints.TryRemove(merchantId, out _);

    private async Task<IReadOnlyList<WebhookEndpoint>> EndpointsAsync(string merchantId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_endpoints.TryGetValue(merchantId, out var known) && now - known.At < RememberFor)
        {
            return known.Endpoints;
        }

        var endpoints = (await store.ListEndpointsAsync(merchantId, cancellationToken)).Select(e => e.Value).ToList();
        _endpoints[merchantId] = (now, endpoints);
        return endpoints;
    }
}
