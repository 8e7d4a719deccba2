using Microsoft.Extensions.Logging;
using PayByLink.Core.Domain;

namespace PayByLink.Core.Batches;

/// <summary>
/// The watch of a dispatched batch, a delayed message on the batch-process queue every
/// <see cref="BatchCompletion.WatchEvery"/>: completes the batch if its lines have all settled, and otherwise asks to
/// be called again. While records are still to be read, it notes how many; when that has not moved for
/// <see cref="StalledAfter"/> (a chunk's messages lost or set aside after repeated failures), every chunk is queued
/// again: the written ones are skipped.
/// </summary>
public sealed partial class WatchBatch(
    BatchChanges changes,
    BatchCompletion completion,
    IBatchStore batches,
    IBatchUploads uploads,
    IBatchChunkQueue chunks,
    IBatchProcessingQueue processing,
    TimeProvider clock,
    ILogger<WatchBatch> logger)
{
    /// <summary>How long the unread records of a dispatched batch may stay the same before its chunks are queued again.</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(5);

    public async Task ExecuteAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        if (await batches.FindAsync(merchantId, batchId, cancellationToken) is { } found)
        {
            await ExecuteAsync(found, cancellationToken);
        }
    }

    /// <summary>The watch of a batch just read.</summary>
    public async Task ExecuteAsync(Versioned<Batch> found, CancellationToken cancellationToken)
    {
        var (merchantId, batchId) = (found.Value.MerchantId, found.Value.BatchId);
        if (found.Value.IsFinished || !found.Value.Dispatched)
        {
            // A finished batch is told to the consumers of changes again, as every check does.
            await completion.CheckAsync(found, cancellationToken);
            return;
        }

        var state = await completion.StateAsync(found, cancellationToken);
        var batch = state.Batch;
        if (batch.IsFinished)
        {
            return;
        }

        await processing.EnqueueAsync(merchantId, batchId, BatchCompletion.WatchEvery, cancellationToken);
        if (batch.Read || state.Counts.Pending == 0)
        {
            // Every record is a line: what remains is delivery.
            return;
        }

        var now = clock.GetUtcNow();
        if (batch.UnreadAtWatch != state.Counts.Pending || batch.UnreadSince is null)
        {
            // Not written means the batch moved on meanwhile (lines were read): the next watch notes it as it then stands.
            _ = await changes.TryReplaceAsync(found, batch with { UnreadAtWatch = state.Counts.Pending, UnreadSince = now }, cancellationToken);
        }
        else if (now - batch.UnreadSince >= StalledAfter &&
                 await changes.TryReplaceAsync(found, batch with { UnreadSince = now }, cancellationToken) is not null)
        {
            var work = (await BatchFileScan.ReadAsync(uploads, batch, cancellationToken)).Work(batch);
            LogStalled(merchantId, batchId, state.Counts.Pending, work.Count);
            await chunks.EnqueueAsync(work, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {MerchantId}/{BatchId}: {Unread} records unread and none read for minutes; its {Chunks} chunks are queued again")]
    private partial void LogStalled(string merchantId, string batchId, int unread, int chunks);
}
