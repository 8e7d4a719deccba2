namespace PayByLink.Core.Batches;

/// <summary>A batch with its counts, and (read one at a time) its funnel.</summary>
public sealed record BatchState(Batch Batch, BatchCounts Counts, Funnel? Funnel = null);

/// <summary>A batch as the merchant sees it: status and counts, and the funnel when it is read on its own.</summary>
public sealed class ReadBatch(IBatchStore batches, BatchCompletion completion, BatchFunnel funnel)
{
    public async Task<BatchState?> ExecuteAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        if (await batches.FindAsync(merchantId, batchId, cancellationToken) is not { } found)
        {
            return null;
        }

        var state = await completion.StateAsync(found, cancellationToken);
        return state with { Funnel = await funnel.ReadAsync(state.Batch, state.Counts, cancellationToken) };
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
