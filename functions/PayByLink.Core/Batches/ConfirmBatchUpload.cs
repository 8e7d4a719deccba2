namespace PayByLink.Core.Batches;

public enum ConfirmOutcome
{
    /// <summary>Processing is queued, under way or done.</summary>
    Accepted,
    NotFound,
    NotUploaded,
    Expired,

    /// <summary>The batch was discarded or stopped.</summary>
    Cancelled,
}

/// <summary>
/// The merchant says the file is uploaded, or that a checked batch started for review is to be sent: processing is
/// queued unless it already started.
/// </summary>
public sealed class ConfirmBatchUpload(IBatchStore batches, BatchChanges changes, IBatchUploads uploads, IBatchProcessingQueue queue, TimeProvider clock)
{
    public async Task<(ConfirmOutcome Outcome, Batch? Batch)> ExecuteAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        var found = await batches.FindAsync(merchantId, batchId, cancellationToken);
        if (found is null)
        {
            return (ConfirmOutcome.NotFound, null);
        }

        var batch = found.Value;
        switch (batch.Status)
        {
            case BatchStatus.Expired:
                return (ConfirmOutcome.Expired, batch);
            case BatchStatus.Cancelled:
                return (ConfirmOutcome.Cancelled, batch);
            case BatchStatus.AwaitingConfirmation:
                if (await changes.TryReplaceAsync(found, batch with { Status = BatchStatus.Uploaded, Confirmed = true, UpdatedAt = clock.GetUtcNow() },
                        cancellationToken) is not { } confirmed)
                {
                    return await ExecuteAsync(merchantId, batchId, cancellationToken); // changed meanwhile: as it is now
                }

                await queue.EnqueueAsync(merchantId, batchId, TimeSpan.Zero, cancellationToken);
                return (ConfirmOutcome.Accepted, confirmed.Value);
            case BatchStatus.AwaitingUpload or BatchStatus.Uploaded:
                if (!await uploads.ExistsAsync(batch.BlobName, cancellationToken))
                {
                    return (ConfirmOutcome.NotUploaded, batch);
                }

                if (batch.Status == BatchStatus.AwaitingUpload)
                {
                    batch = (await changes.TryReplaceAsync(found, batch with { Status = BatchStatus.Uploaded, UpdatedAt = clock.GetUtcNow() },
                        cancellationToken))?.Value ?? batch;
                }

                await queue.EnqueueAsync(merchantId, batchId, TimeSpan.Zero, cancellationToken);
                return (ConfirmOutcome.Accepted, batch);
            default:
                return (batch.StoppedAt is null ? ConfirmOutcome.Accepted : ConfirmOutcome.Cancelled, batch);
        }
    }
}
