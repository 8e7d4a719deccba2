using PayByLink.Core.Domain;
using PayByLink.Core.Events;

namespace PayByLink.Core.Batches;

/// <summary>
/// The one way a stored batch changes: a change of status is stored with its event (<c>batch.processing</c>,
/// <c>.completed</c>, <c>.failed</c>, <c>.expired</c>) in one transaction, then published.
/// </summary>
public sealed class BatchChanges(IBatchStore batches, ChangePublisher changes, TimeProvider clock)
{
    /// <summary>Replaces the batch if it is still at <paramref name="current"/>'s version; the new version, or null when it moved on.</summary>
    public async Task<Versioned<Batch>?> TryReplaceAsync(Versioned<Batch> current, Batch replacement, CancellationToken cancellationToken)
    {
        DomainEvent? change = null;
        if (replacement.Status != current.Value.Status && EventTypes.ForStatus(replacement.Status) is { } type)
        {
            replacement = replacement with { EventCount = current.Value.EventCount + 1 };
            change = new DomainEvent(replacement.MerchantId, replacement.BatchId, replacement.EventCount, type, clock.GetUtcNow(),
                new EventData(Batch: replacement, Counts: CountsOf(replacement)));
        }

        var replaced = await batches.TryReplaceAsync(current, replacement, change, cancellationToken);
        if (replaced is not null && change is not null)
        {
            await changes.PublishAsync(new Change(replacement.MerchantId, replacement.BatchId, [change]), cancellationToken);
        }

        return replaced;
    }

    /// <summary>Tells the consumers of changes again of a batch whose change a repeat found made.</summary>
    public Task RepeatAsync(Batch batch, CancellationToken cancellationToken) =>
        changes.PublishAsync(new Change(batch.MerchantId, batch.BatchId, []), cancellationToken);

    /// <summary>The counts an event shows: final once finished; until then every record still to be read.</summary>
    private static BatchCounts CountsOf(Batch batch) =>
        batch.FinalCounts ?? new BatchCounts(batch.TotalRecords, 0, 0, 0, batch.TotalRecords);
}
