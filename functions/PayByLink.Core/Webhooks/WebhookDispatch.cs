using Microsoft.Extensions.Caching.Memory;
using PayByLink.Core.Events;

namespace PayByLink.Core.Webhooks;

/// <summary>
/// Hears of every change and queues delivery work for each of the merchant's enabled endpoints that wants one of
/// its events: one work item per endpoint and request or batch, which delivers that subject's events in order. A
/// merchant's endpoints are remembered for <see cref="RememberFor"/>, so a merchant without endpoints costs nothing.
/// </summary>
public sealed class WebhookDispatch(IWebhookStore store, IWebhookQueue queue, IMemoryCache cache) : IChangeConsumer
{
    public static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(10);

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
    public void Forget(string merchantId) => cache.Remove(Key(merchantId));

    private async Task<IReadOnlyList<WebhookEndpoint>> EndpointsAsync(string merchantId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(Key(merchantId), out IReadOnlyList<WebhookEndpoint>? known) && known is not null)
        {
            return known;
        }

        var endpoints = (await store.ListEndpointsAsync(merchantId, cancellationToken)).Select(e => e.Value).ToList();
        return cache.Set<IReadOnlyList<WebhookEndpoint>>(Key(merchantId), endpoints, RememberFor);
    }

    private static string Key(string merchantId) => "webhook-endpoints|" + merchantId;
}
