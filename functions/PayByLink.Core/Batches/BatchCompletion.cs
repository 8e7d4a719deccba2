using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Ports;
using PayByLink.Core.Telemetry;

namespace PayByLink.Core.Batches;

/// <summary>
/// Ends batches by themselves: one whose every line has settled becomes Completed (or CompletedWithErrors) when its
/// last line settles (checked a moment after lines settle, when the file has been read to its end, and by the
/// batch's watch every minute until it ends); one whose
/// upload URL ran out with nothing uploaded becomes Expired when the schedule reaches it.
/// </summary>
public sealed partial class BatchCompletion(IBatchStore batches, IBatchLedger ledger, IBatchFunnelStore funnels, IBatchUploads uploads, BatchChanges changes,
    TimeProvider clock, OutageLog outages, ILogger<BatchCompletion> logger) : IChangeConsumer
{
    /// <summary>Allowance for an upload that started just before its URL expired.</summary>
    public static readonly TimeSpan ExpiryGrace = TimeSpan.FromMinutes(5);

    /// <summary>How long after a line's outcome the batch is checked: outcomes that come together share one check.</summary>
    public static readonly TimeSpan CheckAfter = TimeSpan.FromSeconds(1);

    /// <summary>How often a batch whose lines are still being delivered is looked at by its watch (the processing queue).</summary>
    public static readonly TimeSpan WatchEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string MerchantId, string BatchId), byte> _checking = new();

    /// <summary>
    /// Counts the outcome of a batch line whose request has one (once, however often this runs), and checks the
    /// batch a moment later: one check for the outcomes of that moment, not one each. Should this process stop
    /// first, the batch's watch checks it (see <see cref="CheckAsync"/>).
    /// </summary>
    public async Task OnChangeAsync(Change change, CancellationToken cancellationToken)
    {
        if (change.Request is not { Batch: { } line } request || BatchLineOutcomes.ForOwnRequest(request) is not { } outcome)
        {
            return;
        }

        // The change that settles a line carries the event of the status it moved to; any other (a receipt, a repeat)
        // finds it counted already, usually.
        var settledNow = change.Events.Any(e => e.Type == EventTypes.ForStatus(request.Status));
        await ledger.RecordOutcomeAsync(request.MerchantId, line.BatchId, outcome, likelyCounted: !settledNow, cancellationToken);
        var key = (request.MerchantId, line.BatchId);
        if (_checking.TryAdd(key, 0))
        {
            _ = CallDeadline.StartDetached(() => CheckSoonAsync(key));
        }
    }

    private async Task CheckSoonAsync((string MerchantId, string BatchId) key)
    {
        try
        {
            await Task.Delay(CheckAfter, clock);
            _checking.TryRemove(key, out _);
            await CheckAsync(key.MerchantId, key.BatchId, CancellationToken.None);
        }
        catch (Exception e)
        {
            _checking.TryRemove(key, out _);
            if (!outages.Counted("batch completion not checked", e))
            {
                LogCheckFailed(e, key.MerchantId, key.BatchId);
            }
        }
    }

    /// <summary>
    /// Completes the batch if it has been read to its end and all its lines have settled. Whether it is finished
    /// (a batch finished before is told to the consumers of changes again).
    /// </summary>
    public async Task<bool> CheckAsync(string merchantId, string batchId, CancellationToken cancellationToken) =>
        await batches.FindAsync(merchantId, batchId, cancellationToken) is not { } found || await CheckAsync(found, cancellationToken);

    /// <inheritdoc cref="CheckAsync(string, string, CancellationToken)"/>
    public async Task<bool> CheckAsync(Versioned<Batch> found, CancellationToken cancellationToken)
    {
        if (found.Value.IsFinished)
        {
            await changes.RepeatAsync(found.Value, cancellationToken);
            return true;
        }

        if (!found.Value.Dispatched)
        {
            return false;
        }

        var state = await StateAsync(found, cancellationToken);
        if (!state.Batch.IsFinished)
        {
            // For the batch page's live refresh: two reads there, where the counts and the funnel cost many.
            var funnel = await funnels.ReadAsync(state.Batch.MerchantId, state.Batch.BatchId, cancellationToken);
            await ledger.SaveSnapshotAsync(state.Batch.MerchantId, state.Batch.BatchId, new BatchSnapshot(state.Counts, funnel, clock.GetUtcNow()),
                cancellationToken);
        }

        return state.Batch.IsFinished;
    }

    /// <summary>The schedule's check on a batch's upload URL: Expired when it ran out with nothing uploaded.</summary>
    public Task ExpireIfUnusedAsync(string merchantId, string batchId, CancellationToken cancellationToken) =>
        ConditionalWrite.RetryAsync($"Batch {batchId}", async _ =>
        {
            // Read again after a conflict: an upload or a confirm that came meanwhile keeps the batch.
            var now = clock.GetUtcNow();
            if (await batches.FindAsync(merchantId, batchId, cancellationToken) is not { Value.Status: BatchStatus.AwaitingUpload } found ||
                now <= found.Value.UploadUrlExpiresAt + ExpiryGrace || await uploads.ExistsAsync(found.Value.BlobName, cancellationToken))
            {
                return WriteAttempt.Done(false);
            }

            var expired = found.Value with { Status = BatchStatus.Expired, CompletedAt = now, UpdatedAt = now, FinalCounts = new BatchCounts(0, 0, 0, 0, 0) };
            return await changes.TryReplaceAsync(found, expired, cancellationToken) is not null ? WriteAttempt.Done(true) : WriteAttempt<bool>.Conflict;
        });

    /// <summary>
    /// The batch with its counts; one whose lines have all settled is completed here if it is not already. When every
    /// record is found to be a line, the batch is marked read and the upload's snapshot deleted.
    /// </summary>
    public Task<BatchState> StateAsync(Versioned<Batch> found, CancellationToken cancellationToken) =>
        ConditionalWrite.RetryAsync($"Batch {found.Value.BatchId}", async attempt =>
        {
            if (attempt > 1)
            {
                // Whoever writes first completes it; one that loses reads the batch as the winner left it.
                if (await batches.FindAsync(found.Value.MerchantId, found.Value.BatchId, cancellationToken) is not { } again)
                {
                    return WriteAttempt.Done(new BatchState(found.Value, new BatchCounts(0, 0, 0, 0, 0)));
                }

                found = again;
            }

            var batch = found.Value;
            if (batch.FinalCounts is { } final)
            {
                return WriteAttempt.Done(new BatchState(batch, final));
            }

            var (counts, lines) = batch.TotalRecords == 0 ? (new BatchCounts(0, 0, 0, 0, 0), 0) : await CountAsync(batch, cancellationToken);
            var read = batch.Dispatched && lines == batch.TotalRecords;
            var settled = read && counts is { Pending: 0, Accepted: 0 };
            if (batch.Status != BatchStatus.Processing || (!settled && (!read || batch.Read)))
            {
                return WriteAttempt.Done(new BatchState(batch, counts));
            }

            var now = clock.GetUtcNow();
            var next = settled
                ? batch with
                {
                    Status = counts.Failed == 0 ? BatchStatus.Completed : BatchStatus.CompletedWithErrors, Read = true, CompletedAt = now,
                    UpdatedAt = now, FinalCounts = counts, LeaseUntil = null,
                    CancelledLines = batch.StoppedAt is null ? null : await CountCancelledAsync(batch, cancellationToken),
                }
                : batch with { Read = true };

            if (await changes.TryReplaceAsync(found, next, cancellationToken) is not { } written)
            {
                return WriteAttempt<BatchState>.Conflict;
            }

            if (!batch.Read)
            {
                // Every record is a line: the lines keep what the failed-records export needs.
                await uploads.RetireAsync(batch.BlobName, null, cancellationToken);
            }

            return WriteAttempt.Done(new BatchState(written.Value, counts));
        });

    /// <summary>
    /// The settled chunks' totals plus the tallies of the started chunks after them, and how many records are lines;
    /// chunks found settled since are added to the settled record, so the next count skips them too.
    /// </summary>
    private async Task<(BatchCounts Counts, int Lines)> CountAsync(Batch batch, CancellationToken cancellationToken)
    {
        var (settled, started, _) = await ledger.ReadProgressAsync(batch.MerchantId, batch.BatchId, cancellationToken);
        var from = settled.Value.Chunks;
        var moving = await ledger.ReadTalliesAsync(batch.MerchantId, batch.BatchId, from, Math.Min(started, batch.ChunkCount), cancellationToken);
        var newlySettled = moving.TakeWhile((tally, i) => tally.IsSettled(batch.ChunkSize(from + i))).ToList();
        if (newlySettled.Count > 0)
        {
            // Not recorded means another reader recorded these chunks first: they count the same either way, and the
            // next count skips them.
            var next = new SettledChunks(from + newlySettled.Count, newlySettled.Aggregate(settled.Value.Totals, (sum, t) => sum.Plus(t)));
            _ = await ledger.TrySaveSettledAsync(batch.MerchantId, batch.BatchId, settled, next, cancellationToken);
        }

        var all = moving.Prepend(settled.Value.Totals).ToList();
        return (BatchCounts.From(batch.TotalRecords, all), all.Sum(t => t.NextRecord));
    }

    /// <summary>The lines of a stopped batch its stop cancelled: not made, or their request cancelled before its link was sent.</summary>
    private async Task<int> CountCancelledAsync(Batch batch, CancellationToken cancellationToken)
    {
        var cancelled = 0;
        await foreach (var line in ledger.ListFailedAsync(batch.MerchantId, batch.BatchId, cancellationToken))
        {
            cancelled += line.Errors.Any(e => e == ProcessBatchChunk.StoppedLine || e.Code == "cancelled") ? 1 : 0;
        }

        return cancelled;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking batch {MerchantId}/{BatchId} for completion failed; its watch checks it again")]
    private partial void LogCheckFailed(Exception exception, string merchantId, string batchId);
}
