using PayByLink.Core.Domain;

namespace PayByLink.Core.Webhooks;

public interface IWebhookStore
{
    Task AddEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken);

    Task<IReadOnlyList<Versioned<WebhookEndpoint>>> ListEndpointsAsync(string merchantId, CancellationToken cancellationToken);

    Task<Versioned<WebhookEndpoint>?> FindEndpointAsync(string merchantId, string endpointId, CancellationToken cancellationToken);

    /// <summary>Replaces the endpoint if it is still at <paramref name="current"/>'s version; false when it moved on or is gone.</summary>
    Task<bool> TryReplaceEndpointAsync(Versioned<WebhookEndpoint> current, WebhookEndpoint replacement, CancellationToken cancellationToken);

    /// <summary>Deletes the endpoint; false when there was none.</summary>
    Task<bool> DeleteEndpointAsync(string merchantId, string endpointId, CancellationToken cancellationToken);

    Task<Versioned<WebhookDelivery>?> FindDeliveryAsync(string merchantId, string endpointId, string eventId, DateTimeOffset eventCreatedAt,
        CancellationToken cancellationToken);

    /// <summary>Writes the delivery if the stored one is still at <paramref name="version"/> (null: none stored yet); its new version, or null.</summary>
    Task<string?> TrySaveDeliveryAsync(WebhookDelivery delivery, string? version, CancellationToken cancellationToken);

    /// <summary>An endpoint's deliveries, newest event first, a page at a time.</summary>
    Task<(IReadOnlyList<WebhookDelivery> Items, string? ContinuationToken)> ListDeliveriesAsync(string merchantId, string endpointId, int pageSize,
        string? continuationToken, CancellationToken cancellationToken);
}
