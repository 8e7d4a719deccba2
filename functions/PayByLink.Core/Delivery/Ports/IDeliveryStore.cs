using PayByLink.Core.Domain;

namespace PayByLink.Core.Delivery;

public interface IDeliveryStore
{
    Task<Versioned<DeliveryRecord>?> FindAsync(string merchantId, string requestId, string sendId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the record if the stored one is still at <paramref name="version"/> (null: if none is stored yet).
    /// Returns the new version, or null when another writer got there first.
    /// </summary>
    Task<string?> TrySaveAsync(DeliveryRecord record, string? version, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryRecord>> ListAsync(string merchantId, string requestId, CancellationToken cancellationToken);
}
