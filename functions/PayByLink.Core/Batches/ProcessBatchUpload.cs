using Microsoft.Extensions.Logging;
using PayByLink.Core.Domain;
using PayByLink.Core.Limits;
using PayByLink.Core.Ports;
using PayByLink.Core.Telemetry;

namespace PayByLink.Core.Batches;

public enum ProcessOutcome
{
    Processed,
    NotFound,
    NotUploaded,

    /// <summary>Another processor holds the batch and is working on it.</summary>
    HeldElsewhere,
    AlreadyProcessed,

    /// <summary>The file could not be read; the batch is Failed with the reason.</summary>
    Unreadable,
}

/// <summary>
/// Hands an uploaded batch file to the chunk workers, once, however many triggers ask. The batch is claimed with a
/// lease; the file is frozen as a snapshot; one pass checks it can be read at all (UTF-8, a header, the limits),
/// counts its records and notes where each chunk of <see cref="Batch.RecordsPerChunk"/> records starts; then every
/// chunk is queued (<see cref="ProcessBatchChunk"/> makes its requests) and the batch marked dispatched. A processor
/// that stops before that is replaced once its lease runs out, and its successor dispatches again: a chunk queued
/// twice makes nothing twice. The batch's watch (<see cref="WatchBatch"/>, on the batch-process queue every minute)
/// then completes it when its lines have all settled.
/// </summary>
public sealed partial class ProcessBatchUpload(
    BatchChanges changes,
    WatchBatch watch,
    IBatchStore batches,
    IBatchUploads uploads,
    IMerchantStore merchants,
    IBatchChunkQueue chunks,
    IBatchProcessingQueue processing,
    DailyMessageCap cap,
    ReviewBatchFile review,
    TimeProvider clock,
    ILogger<ProcessBatchUpload> logger)
{
    /// <summary>How long after a lease runs out the watch message looks again: a dead processor's batch resumes then.</summary>
    private static readonly TimeSpan WatchMargin = TimeSpan.FromSeconds(5);

    public async Task<ProcessOutcome> ExecuteAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        using var activity = PayByLinkTelemetry.Source.StartActivity("process batch");
        activity?.SetTag("paybylink.merchant", merchantId);
        activity?.SetTag("paybylink.batch", batchId);
        var (claimed, refused) = await ClaimAsync(merchantId, batchId, cancellationToken);
        if (claimed is null)
        {
            return refused;
        }

        // The watch is a delayed message on the batch-process queue: whatever becomes of this processor, a trigger
        // comes after its lease would run out, and resumes the batch if nothing renewed it.
        await using var lease = new BatchLease(changes, clock, claimed,
            () => processing.EnqueueAsync(merchantId, batchId, BatchLease.Duration + WatchMargin, CancellationToken.None), cancellationToken);
        try
        {
            return await ProcessAsync(lease);
        }
        catch (OperationCanceledException) when (lease.IsLost && lease.Failure is null && !cancellationToken.IsCancellationRequested)
        {
            return ProcessOutcome.HeldElsewhere;
        }
        catch (Exception e)
        {
            // Failed or stopped: give the batch up now rather than when the lease runs out. The next trigger resumes it.
            try
            {
                await lease.ReleaseAsync();
            }
            catch (Exception release) when (release is not OperationCanceledException)
            {
                LogReleaseFailed(release, merchantId, batchId);
            }

            if (lease.Failure is { } failure && failure != e)
            {
                throw new InvalidOperationException($"Batch {merchantId}/{batchId} lost its lease: {failure.Message}", failure);
            }

            throw;
        }
    }

    private async Task<ProcessOutcome> ProcessAsync(BatchLease lease)
    {
        var batch = lease.Batch;
        if (await merchants.FindAsync(batch.MerchantId, lease.Token) is not { } merchant)
        {
            await FailAsync(lease, "The merchant no longer exists.");
            return ProcessOutcome.Unreadable;
        }

        var scan = await BatchFileScan.ReadAsync(uploads, batch, lease.Token);
        if (scan.Error is { } error)
        {
            await FailAsync(lease, error);
            return ProcessOutcome.Unreadable;
        }

        if (batch is { Review: true, Confirmed: false })
        {
            // Checked, and nothing sent: the snapshot is kept for the chunk workers of the confirm, or deleted by a discard.
            var checkedFile = await review.ExecuteAsync(merchant, batch, scan, lease.Token);
            if (await lease.FinishAsync(b => b with { Status = BatchStatus.AwaitingConfirmation, Checked = checkedFile, LeaseUntil = null, UpdatedAt = clock.GetUtcNow() }))
            {
                await uploads.RetireAsync(batch.BlobName, batch.Snapshot, lease.Token);
                LogReviewed(batch.MerchantId, batch.BatchId, scan.Total, checkedFile.FailingLines);
            }

            return ProcessOutcome.Processed;
        }

        if (batch.Header is null)
        {
            // The whole file against the merchant's daily caps, before any line is sent: refused whole, never half-sent.
            if (await cap.CheckAsync(merchant, scan.Messages, lease.Token) is { } reached)
            {
                await FailAsync(lease, $"{reached.Message} Nothing in the file was sent.");
                return ProcessOutcome.Unreadable;
            }

            await cap.CountAsync(merchant, scan.Messages, lease.Token);

            // Before any chunk is queued: a chunk worker needs the header and the count.
            if (!await lease.UpdateAsync(b => b with { Header = scan.Header!.Names.ToArray(), TotalRecords = scan.Total }))
            {
                return ProcessOutcome.HeldElsewhere;
            }

            LogStarted(batch.MerchantId, batch.BatchId, scan.Total);
        }

        // A chunk an earlier dispatch of this batch queued (and a worker perhaps wrote) is queued again: its worker finds
        // it written, or carries on from its checkpoint.
        var work = scan.Work(batch);
        await chunks.EnqueueAsync(work, lease.Token);
        if (!await lease.FinishAsync(b => b with { Dispatched = true, LeaseUntil = null }))
        {
            return ProcessOutcome.HeldElsewhere;
        }

        // Only once the batch row says it is dispatched: a processor that lost the batch never empties what its successor reads.
        // The snapshot stays for the chunk workers until every record is a line.
        await uploads.RetireAsync(lease.Batch.BlobName, lease.Batch.Snapshot, lease.Token);
        LogDispatched(batch.MerchantId, batch.BatchId, work.Count);

        // Every line may have settled already (as by an earlier dispatch); if not, the batch's watch looks again until it has.
        await watch.ExecuteAsync(batch.MerchantId, batch.BatchId, lease.Token);
        return ProcessOutcome.Processed;
    }

    /// <summary>Claims the batch: each attempt reads it again when another trigger changed it meanwhile.</summary>
    private Task<(Versioned<Batch>? Claimed, ProcessOutcome Refused)> ClaimAsync(string merchantId, string batchId, CancellationToken cancellationToken) =>
        ConditionalWrite.RetryAsync<(Versioned<Batch>?, ProcessOutcome)>($"Batch {batchId}", async _ =>
        {
            var found = await batches.FindAsync(merchantId, batchId, cancellationToken);
            if (found is null)
            {
                return WriteAttempt.Done<(Versioned<Batch>?, ProcessOutcome)>((null, ProcessOutcome.NotFound));
            }

            var batch = found.Value;
            var now = clock.GetUtcNow();
            if (batch.Status == BatchStatus.AwaitingConfirmation)
            {
                return WriteAttempt.Done<(Versioned<Batch>?, ProcessOutcome)>((null, ProcessOutcome.AlreadyProcessed));
            }

            if (batch.IsFinished || batch.Dispatched)
            {
                // The watch of a batch being worked on and delivered, or a processor that stopped before its first check.
                if (batch.Dispatched)
                {
                    await watch.ExecuteAsync(found, cancellationToken);
                }

                // Whatever the name holds now is never read, so it is not kept (emptied, if it is not already); the
                // snapshot the chunk workers read is kept until every record is a line.
                await uploads.RetireAsync(batch.BlobName, batch.IsFinished || batch.Read ? null : batch.Snapshot, cancellationToken);
                return WriteAttempt.Done<(Versioned<Batch>?, ProcessOutcome)>((null, ProcessOutcome.AlreadyProcessed));
            }

            if (batch.Status == BatchStatus.Processing && batch.LeaseUntil > now)
            {
                return WriteAttempt.Done<(Versioned<Batch>?, ProcessOutcome)>((null, ProcessOutcome.HeldElsewhere));
            }

            var snapshot = batch.Snapshot;
            if (snapshot is null)
            {
                if (await uploads.SnapshotAsync(batch.BlobName, cancellationToken) is not { } taken)
                {
                    return WriteAttempt.Done<(Versioned<Batch>?, ProcessOutcome)>((null, ProcessOutcome.NotUploaded));
                }

                if (taken.Size > BatchFile.MaxBytes)
                {
                    var failed = await changes.TryReplaceAsync(found, batch with { Status = BatchStatus.Processing, LeaseUntil = BatchLease.Until(now) }, cancellationToken);
                    if (failed is not null)
                    {
                        var reason = $"The file is {taken.Size:N0} bytes; at most {BatchFile.MaxBytes:N0} are allowed.";
                        if (await changes.TryReplaceAsync(failed, Failed(failed.Value, reason), cancellationToken) is not null)
                        {
                            await uploads.RetireAsync(batch.BlobName, null, cancellationToken);
                            LogUnreadable(batch.MerchantId, batch.BatchId, reason);
                        }

                        return WriteAttempt.Done<(Versioned<Batch>?, ProcessOutcome)>((null, ProcessOutcome.Unreadable));
                    }

                    return WriteAttempt<(Versioned<Batch>?, ProcessOutcome)>.Conflict;
                }

                snapshot = taken.Snapshot;
            }

            var claimed = await changes.TryReplaceAsync(found,
                batch with { Status = BatchStatus.Processing, Snapshot = snapshot, LeaseUntil = BatchLease.Until(now), UpdatedAt = now }, cancellationToken);
            return claimed is not null
                ? WriteAttempt.Done<(Versioned<Batch>?, ProcessOutcome)>((claimed, ProcessOutcome.Processed))
                : WriteAttempt<(Versioned<Batch>?, ProcessOutcome)>.Conflict;
        });

    private async Task FailAsync(BatchLease lease, string reason)
    {
        if (await lease.FinishAsync(b => Failed(b, reason)))
        {
            await uploads.RetireAsync(lease.Batch.BlobName, null, lease.Token);
            LogUnreadable(lease.Batch.MerchantId, lease.Batch.BatchId, reason);
        }
    }

    private Batch Failed(Batch batch, string reason)
    {
        var now = clock.GetUtcNow();
        return batch with
        {
            Status = BatchStatus.Failed,
            FailureReason = reason,
            LeaseUntil = null,
            CompletedAt = now,
            UpdatedAt = now,
            FinalCounts = new BatchCounts(0, 0, 0, 0, 0),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {MerchantId}/{BatchId}: {Total} records to process")]
    private partial void LogStarted(string merchantId, string batchId, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {MerchantId}/{BatchId} checked for review: {Total} records, {Failing} failing; awaiting confirmation")]
    private partial void LogReviewed(string merchantId, string batchId, int total, int failing);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {MerchantId}/{BatchId}: {Chunks} chunks queued for the chunk workers")]
    private partial void LogDispatched(string merchantId, string batchId, int chunks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {MerchantId}/{BatchId} could not be released; its lease runs out instead")]
    private partial void LogReleaseFailed(Exception exception, string merchantId, string batchId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {MerchantId}/{BatchId} failed: {Reason}")]
    private partial void LogUnreadable(string merchantId, string batchId, string reason);
}
