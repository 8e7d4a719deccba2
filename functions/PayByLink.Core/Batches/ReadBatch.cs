using PayByLink.Core.Domain;

namespace PayByLink.Core.Batches;

public sealed record BatchState(Batch Batch, BatchCounts Counts);

/// <summary>A batch as the merchant sees it: status and counts.</summary>
public sealed class ReadBatch(IBatchStore batches, BatchCompletion completion)
{
    public async Task<BatchState?> ExecuteAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        var found = await batches.FindAsync(merchantId, batchId, cancellationToken);
        return found is null ? null : await completion.StateAsync(found, cancellationToken);
    }

    public async Task<(IReadOnlyList<BatchState> Items, int TotalCount)> ListAsync(string merchantId, int page, int pageSize,
        CancellationToken cancellationToken)
    {
        var (items, total) = await batches.ListAsync(merchantId, page, pageSize, cancellationToken);
        var states = new List<BatchState>(items.Count);
        foreach (var batch in items)
        {
            states.Add(await completion.StateAsync(batch, cancellationToken));
        }

        return (states, total);
    }
}
