namespace PayByLink.Core.Batches;

/// <summary>A batch with its counts, and (read one at a time) its funnel.</summary>
public sealed record BatchState(Batch Batch, BatchCounts Counts, Funnel? Funnel = null);

/// <summary>A batch as the merchant sees it: status and counts, and the funnel when it is read on its own.</summary>
public sealed class ReadBatch(IBatchStore batches, IBatchLedger ledger, BatchCompletion completion, BatchFunnel funnel)
{
    /// <summary>
    /// A running batch as its page's live refresh shows it: its row and its last snapshot (<see cref="BatchSnapshot"/>),
    /// two reads however large it is. A batch not running, or not yet counted, is read in full.
    /// </summary>
    public async Task<BatchState?> LiveAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        if (await batches.FindAsync(merchantId, batchId, cancellationToken) is not { } found)
        {
            return null;
        }

        var batch = found.Value;
        if (!batch.Dispatched)
        {
            return new BatchState(batch, batch.FinalCounts ?? new BatchCounts(batch.TotalRecords, 0, 0, 0, batch.TotalRecords));
        }

        if (!batch.IsFinished && (await ledger.ReadProgressAsync(merchantId, batchId, cancellationToken)).Snapshot is { } snapshot)
        {
            var f = snapshot.Funnel;
            return new BatchState(batch, snapshot.Counts, new Funnel(snapshot.Counts.Sent, f.Delivered, f.Undeliverable, f.Opened, f.Paid, f.AmountPaid));
        }

        var state = await completion.StateAsync(found, cancellationToken);
        return state with { Funnel = await funnel.ReadAsync(state.Batch, state.Counts, cancellationToken) };
    }

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
