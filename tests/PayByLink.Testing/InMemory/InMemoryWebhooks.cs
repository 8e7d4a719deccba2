using PayByLink.Core.Domain;
using PayByLink.Core.Webhooks;

namespace PayByLink.Testing.InMemory;

/// <summary>Webhook endpoints and deliveries in memory, with the versions a conditional write must match.</summary>
public sealed class InMemoryWebhooks : IWebhookStore
{
    private readonly VersionedRows<(string MerchantId, string EndpointId), WebhookEndpoint> _endpoints = new();
    private readonly VersionedRows<(string MerchantId, string EndpointId, string EventId), WebhookDelivery> _deliveries = new();

    public Task AddEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        _endpoints.TryWrite((endpoint.MerchantId, endpoint.EndpointId), endpoint, null);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Versioned<WebhookEndpoint>>> ListEndpointsAsync(string merchantId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Versioned<WebhookEndpoint>>>(_endpoints.Where(k => k.MerchantId == merchantId)
            .Select(r => new Versioned<WebhookEndpoint>(r.Value, r.Version)).ToList());

    public Task<Versioned<WebhookEndpoint>?> FindEndpointAsync(string merchantId, string endpointId, CancellationToken cancellationToken) =>
        Task.FromResult(_endpoints.Find((merchantId, endpointId)) is { } row ? new Versioned<WebhookEndpoint>(row.Value, row.Version) : null);

    public Task<bool> TryReplaceEndpointAsync(Versioned<WebhookEndpoint> current, WebhookEndpoint replacement, CancellationToken cancellationToken) =>
        Task.FromResult(_endpoints.TryWrite((replacement.MerchantId, replacement.EndpointId), replacement, current.Version) is not null);

    public Task<bool> DeleteEndpointAsync(string merchantId, string endpointId, CancellationToken cancellationToken) =>
        Task.FromResult(_endpoints.Remove((merchantId, endpointId)));

    public Task<Versioned<WebhookDelivery>?> FindDeliveryAsync(string merchantId, string endpointId, string eventId, DateTimeOffset eventCreatedAt,
        CancellationToken cancellationToken) =>
        Task.FromResult(_deliveries.Find((merchantId, endpointId, eventId)) is { } row ? new Versioned<WebhookDelivery>(row.Value, row.Version) : null);

    public Task<string?> TrySaveDeliveryAsync(WebhookDelivery delivery, string? version, CancellationToken cancellationToken) =>
        Task.FromResult(_deliveries.TryWrite((delivery.MerchantId, delivery.EndpointId, delivery.EventId), delivery, version));

    public Task<(IReadOnlyList<WebhookDelivery> Items, string? ContinuationToken)> ListDeliveriesAsync(string merchantId, string endpointId, int pageSize,
        string? continuationToken, CancellationToken cancellationToken)
    {
        var skip = continuationToken is null ? 0 : int.Parse(continuationToken);
        var all = _deliveries.Where(k => k.MerchantId == merchantId && k.EndpointId == endpointId).Select(r => r.Value)
            .OrderByDescending(d => d.EventCreatedAt).ToList();
        return Task.FromResult<(IReadOnlyList<WebhookDelivery>, string?)>(
            (all.Skip(skip).Take(pageSize).ToList(), skip + pageSize < all.Count ? (skip + pageSize).ToString() : null));
    }
}
