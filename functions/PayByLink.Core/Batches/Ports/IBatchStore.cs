using PayByLink.Core.Domain;
using PayByLink.Core.Events;

namespace PayByLink.Core.Batches;

public interface IBatchStore
{
    Task AddAsync(Batch batch, CancellationToken cancellationToken);

    Task<Versioned<Batch>?> FindAsync(string merchantId, string batchId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the batch if it is still at <paramref name="current"/>'s version, adding the change's event (when
    /// given) in the same transaction; the new version, or null when it moved on.
    /// </summary>
    Task<Versioned<Batch>?> TryReplaceAsync(Versioned<Batch> current, Batch replacement, DomainEvent? change, CancellationToken cancellationToken);

    /// <summary>One page of the merchant's batches, newest first, and how many there are.</summary>
    Task<(IReadOnlyList<Versioned<Batch>> Items, int TotalCount)> ListAsync(string merchantId, int page, int pageSize, CancellationToken cancellationToken);
}
