using PayByLink.Core.Events;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Batches;

public enum StopOutcome
{
    /// <summary>Nothing had been sent: the batch is Cancelled and its file deleted.</summary>
    Discarded,

    /// <summary>Sending stops: lines not yet made are not made, and requests not yet sent are cancelled as their turn comes.</summary>
    Stopping,
    NotFound,

    /// <summary>The batch had finished already.</summary>
    Finished,
}

/// <summary>
/// Stops a batch. One nothing of which can have been sent (no chunk worker starts before the file's header is on the
/// batch) is discarded: Cancelled, its file deleted. Otherwise the batch is marked stopped: each chunk worker looks
/// before each group of lines and writes the rest as stopped, and the senders cancel the batch's requests still waiting
/// for their first send (<see cref="BatchStops"/>). The batch then completes as its lines settle, counting the cancelled.
/// </summary>
public sealed class StopBatch(IBatchStore batches, BatchChanges changes, IBatchUploads uploads, TimeProvider clock)
{
    public Task<(StopOutcome Outcome, Batch? Batch)> ExecuteAsync(string merchantId, string batchId, Actor actor, CancellationToken cancellationToken) =>
        ConditionalWrite.RetryAsync<(StopOutcome, Batch?)>($"Batch {batchId}", async _ =>
        {
            if (await batches.FindAsync(merchantId, batchId, cancellationToken) is not { } found)
            {
                return WriteAttempt.Done<(StopOutcome, Batch?)>((StopOutcome.NotFound, null));
            }

            var batch = found.Value;
            if (batch.IsFinished || batch.StoppedAt is not null)
            {
                var outcome = batch.Status == BatchStatus.Cancelled ? StopOutcome.Discarded
                    : batch.StoppedAt is not null && !batch.IsFinished ? StopOutcome.Stopping
                    : StopOutcome.Finished;
                return WriteAttempt.Done<(StopOutcome, Batch?)>((outcome, batch));
            }

            var now = clock.GetUtcNow();
            var discard = batch.Header is null;
            var next = discard
                ? batch with
                {
                    Status = BatchStatus.Cancelled, StoppedAt = now, StoppedBy = actor, CompletedAt = now, UpdatedAt = now, LeaseUntil = null,
                    FinalCounts = new BatchCounts(0, 0, 0, 0, 0),
                }
                : batch with { StoppedAt = now, StoppedBy = actor, UpdatedAt = now };
            if (await changes.TryReplaceAsync(found, next, cancellationToken) is not { } written)
            {
                return WriteAttempt<(StopOutcome, Batch?)>.Conflict;
            }

            if (discard)
            {
                await uploads.RetireAsync(batch.BlobName, null, cancellationToken);
            }

            return WriteAttempt.Done<(StopOutcome, Batch?)>((discard ? StopOutcome.Discarded : StopOutcome.Stopping, written.Value));
        });
}
