using PayByLink.Core.Domain;

namespace PayByLink.Core.Batches;

public sealed record BatchState(Batch Batch, BatchCounts Counts);

/// <summary>
/// A batch as the merchant sees it: status and counts. A batch whose lines are all final is completed here, and one
/// whose upload URL ran out with nothing uploaded expires here, the first time anyone looks.
/// </summary>
public sealed class ReadBatch(IBatchStore batches, IBatchUploads uploads, TimeProvider clock)
{
    /// <summary>Allowance for an upload that started just before its URL expired.</summary>
    public static readonly TimeSpan ExpiryGrace = TimeSpan.FromMinutes(5);

    public async Task<BatchState?> ExecuteAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        var found = await batches.FindAsync(merchantId, batchId, cancellationToken);
        return found is null ? null : await StateAsync(found, cancellationToken);
    }

    public async Task<(IReadOnlyList<BatchState> Items, int TotalCount)> ListAsync(string merchantId, int page, int pageSize,
        CancellationToken cancellationToken)
    {
        var (items, total) = await batches.ListAsync(merchantId, page, pageSize, cancellationToken);
        var states = new List<BatchState>(items.Count);
        foreach (var batch in items)
        {
            states.Add(await StateAsync(batch, cancellationToken));
        }

        return (states, total);
    }

    private async Task<BatchState> StateAsync(Versioned<Batch> found, CancellationToken cancellationToken)
    {
        var batch = found.Value;
        if (batch.FinalCounts is { } final)
        {
            return new BatchState(batch, final);
        }

        var now = clock.GetUtcNow();
        if (batch.Status == BatchStatus.AwaitingUpload && now > batch.UploadUrlExpiresAt + ExpiryGrace &&
            !await uploads.ExistsAsync(batch.BlobName, cancellationToken))
        {
            var expired = batch with { Status = BatchStatus.Expired, CompletedAt = now, UpdatedAt = now, FinalCounts = new BatchCounts(0, 0, 0, 0, 0) };
            return await FinishAsync(found, expired, cancellationToken);
        }

        var counts = batch.TotalRecords == 0 ? new BatchCounts(0, 0, 0, 0, 0) : await CountAsync(batch, cancellationToken);
        if (batch is { Split: true, Status: BatchStatus.Processing } && counts is { Pending: 0, Accepted: 0 })
        {
            var status = counts.Failed == 0 ? BatchStatus.Completed : BatchStatus.CompletedWithErrors;
            return await FinishAsync(found, batch with { Status = status, CompletedAt = now, UpdatedAt = now, FinalCounts = counts, LeaseUntil = null },
                cancellationToken);
        }

        return new BatchState(batch, counts);
    }

    /// <summary>
    /// The settled chunks' totals plus the tallies of the chunks after them; chunks found settled since are added to
    /// the settled record, so the next read skips them too.
    /// </summary>
    private async Task<BatchCounts> CountAsync(Batch batch, CancellationToken cancellationToken)
    {
        var settled = await batches.ReadSettledAsync(batch.MerchantId, batch.BatchId, cancellationToken);
        var from = settled.Value.Chunks;
        var moving = await batches.ReadTalliesAsync(batch.MerchantId, batch.BatchId, from, batch.ChunksStarted, cancellationToken);
        var newlySettled = moving.TakeWhile((tally, i) => tally.IsSettled(batch.ChunkSize(from + i))).ToList();
        if (newlySettled.Count > 0)
        {
            // Another reader may have recorded the same chunks first; either way they count the same.
            var next = new SettledChunks(from + newlySettled.Count, newlySettled.Aggregate(settled.Value.Totals, (sum, t) => sum.Plus(t)));
            await batches.TrySaveSettledAsync(batch.MerchantId, batch.BatchId, settled, next, cancellationToken);
        }

        return BatchCounts.From(batch.TotalRecords, moving.Prepend(settled.Value.Totals));
    }

    private async Task<BatchState> FinishAsync(Versioned<Batch> found, Batch finished, CancellationToken cancellationToken)
    {
        // Whoever writes first finishes it; a reader that loses reads the batch as the winner left it.
        if (await batches.TryReplaceAsync(found, finished, cancellationToken) is null &&
            await batches.FindAsync(finished.MerchantId, finished.BatchId, cancellationToken) is { } now)
        {
            return await StateAsync(now, cancellationToken);
        }

        return new BatchState(finished, finished.FinalCounts!);
    }
}
