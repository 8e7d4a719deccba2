using System.Text;
using Microsoft.Extensions.Logging;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
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
/// Turns an uploaded batch file into payment requests, once, however many triggers ask. The batch is claimed with a
/// lease; the file is frozen as a snapshot; a first pass checks it can be read at all (UTF-8, a header, the limits)
/// and counts its records; a second pass validates each record with the rules of a single create, creates the
/// requests, and writes the lines with their chunk's tally in one transaction per <see cref="RecordsPerWrite"/>
/// records. The tally is the checkpoint: a processor that stops is replaced once its lease runs out, and its
/// successor carries on after the last write, re-finding (never re-sending) any request made since.
/// </summary>
public sealed partial class ProcessBatchUpload(
    IBatchStore batches,
    BatchChanges changes,
    BatchCompletion completion,
    IBatchUploads uploads,
    IMerchantStore merchants,
    CreatePaymentRequest create,
    ISendMessagePublisher publisher,
    IBatchProcessingQueue processing,
    TimeProvider clock,
    ILogger<ProcessBatchUpload> logger)
{
    /// <summary>How long after a lease runs out the watch message looks again: a dead processor's batch resumes then.</summary>
    private static readonly TimeSpan WatchMargin = TimeSpan.FromSeconds(5);

    /// <summary>Records per transaction: each may add a line and an outcome, and the tally rides along (≤ 100 entities).</summary>
    public const int RecordsPerWrite = 48;

    /// <summary>
    /// How many sends may wait on the queues before a batch publishes more. A file is put on the queues no faster
    /// than it is sent, so a single create is never queued behind a whole file, and the queues stay short.
    /// </summary>
    public const int MaxSendsWaiting = 1000;

    private static readonly TimeSpan SendsWaitingPause = TimeSpan.FromMilliseconds(200);

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
        var merchant = await merchants.FindAsync(batch.MerchantId, lease.Token);
        if (merchant is null)
        {
            await FailAsync(lease, "The merchant no longer exists.");
            return ProcessOutcome.Unreadable;
        }

        if (batch.Header is null)
        {
            var (header, total, error) = await ScanAsync(batch, lease.Token);
            if (error is not null)
            {
                await FailAsync(lease, error);
                return ProcessOutcome.Unreadable;
            }

            if (!await lease.UpdateAsync(b => b with { Header = header!.Names.ToArray(), TotalRecords = total }))
            {
                return ProcessOutcome.HeldElsewhere;
            }

            LogStarted(batch.MerchantId, batch.BatchId, total);
        }

        if (!await SplitAsync(merchant, lease) || !await lease.FinishAsync(b => b with { Split = true, LeaseUntil = null }))
        {
            return ProcessOutcome.HeldElsewhere;
        }

        // Only once the batch row says it is split: a processor that lost the batch never empties what its successor reads.
        await uploads.RetireAsync(lease.Batch.BlobName, lease.Token);
        LogSplit(batch.MerchantId, batch.BatchId, lease.Batch.TotalRecords);

        // Every line may have settled already (all rejected, or sent while the file was read); if not, the batch's
        // watch looks again until it has.
        await WatchUntilCompleteAsync(batch.MerchantId, batch.BatchId, lease.Token);
        return ProcessOutcome.Processed;
    }

    /// <summary>Completes the batch if its lines have all settled; otherwise asks to be called again in a while.</summary>
    private async Task WatchUntilCompleteAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        if (!await completion.CheckAsync(merchantId, batchId, cancellationToken))
        {
            await processing.EnqueueAsync(merchantId, batchId, BatchCompletion.WatchEvery, cancellationToken);
        }
    }

    private async Task<(Versioned<Batch>? Claimed, ProcessOutcome Refused)> ClaimAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        // Each pass re-reads a batch another trigger changed meanwhile; after a few, that trigger holds it.
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var found = await batches.FindAsync(merchantId, batchId, cancellationToken);
            if (found is null)
            {
                return (null, ProcessOutcome.NotFound);
            }

            var batch = found.Value;
            var now = clock.GetUtcNow();
            if (batch.IsFinished || batch.Split)
            {
                // The watch of a batch being delivered, or a processor that stopped before its first check.
                if (batch.Split)
                {
                    await WatchUntilCompleteAsync(merchantId, batchId, cancellationToken);
                }

                // Finished: whatever the name holds now is never read, so it is not kept (emptied, if it is not already).
                await uploads.RetireAsync(batch.BlobName, cancellationToken);
                return (null, ProcessOutcome.AlreadyProcessed);
            }

            if (batch.Status == BatchStatus.Processing && batch.LeaseUntil > now)
            {
                return (null, ProcessOutcome.HeldElsewhere);
            }

            var snapshot = batch.Snapshot;
            if (snapshot is null)
            {
                if (await uploads.SnapshotAsync(batch.BlobName, cancellationToken) is not { } taken)
                {
                    return (null, ProcessOutcome.NotUploaded);
                }

                if (taken.Size > BatchFile.MaxBytes)
                {
                    var failed = await changes.TryReplaceAsync(found, batch with { Status = BatchStatus.Processing, LeaseUntil = BatchLease.Until(now) }, cancellationToken);
                    if (failed is not null)
                    {
                        var reason = $"The file is {taken.Size:N0} bytes; at most {BatchFile.MaxBytes:N0} are allowed.";
                        if (await changes.TryReplaceAsync(failed, Failed(failed.Value, reason), cancellationToken) is not null)
                        {
                            await uploads.RetireAsync(batch.BlobName, cancellationToken);
                            LogUnreadable(batch.MerchantId, batch.BatchId, reason);
                        }

                        return (null, ProcessOutcome.Unreadable);
                    }

                    continue;
                }

                snapshot = taken.Snapshot;
            }

            var claimed = await changes.TryReplaceAsync(found,
                batch with { Status = BatchStatus.Processing, Snapshot = snapshot, LeaseUntil = BatchLease.Until(now), UpdatedAt = now }, cancellationToken);
            if (claimed is not null)
            {
                return (claimed, ProcessOutcome.Processed);
            }
        }

        return (null, ProcessOutcome.HeldElsewhere);
    }

    /// <summary>The first pass: is this a file we can read, and how many records does it hold?</summary>
    private async Task<(BatchHeader? Header, int Total, string? Error)> ScanAsync(Batch batch, CancellationToken cancellationToken)
    {
        await using var stream = await uploads.OpenReadAsync(batch.BlobName, batch.Snapshot!, cancellationToken);
        var reader = new CsvRecordReader(BatchFile.OpenText(stream));
        try
        {
            var (header, error) = BatchFile.ReadHeader(await reader.ReadAsync(cancellationToken));
            if (header is null)
            {
                return (null, 0, error);
            }

            var total = 0;
            while (await reader.ReadAsync(cancellationToken) is not null)
            {
                if (++total > BatchFile.MaxRecords)
                {
                    return (null, 0, $"The file has more than {BatchFile.MaxRecords:N0} records.");
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            return total == 0 ? (null, 0, "The file has a header but no records.") : (header, total, null);
        }
        catch (InvalidUtf8Exception e)
        {
            return (null, 0, e.Message);
        }
    }

    /// <summary>The second pass, from the checkpoint on. False when the lease was lost to another processor.</summary>
    private async Task<bool> SplitAsync(Merchant merchant, BatchLease lease)
    {
        var cancellationToken = lease.Token;
        var batch = lease.Batch;
        var header = new BatchHeader(batch.Header!);
        await using var stream = await uploads.OpenReadAsync(batch.BlobName, batch.Snapshot!, cancellationToken);
        var reader = new CsvRecordReader(BatchFile.OpenText(stream));
        await reader.ReadAsync(cancellationToken); // the header
        var position = 0;
        for (var chunk = batch.NextChunk; chunk < batch.ChunkCount; chunk++)
        {
            var chunkStart = chunk * Batch.RecordsPerChunk;
            var chunkSize = Math.Min(Batch.RecordsPerChunk, batch.TotalRecords - chunkStart);
            var tally = await batches.ReadTallyAsync(merchant.Id, batch.BatchId, chunk, cancellationToken);
            for (; position < chunkStart + tally.Value.NextRecord; position++)
            {
                await reader.ReadAsync(cancellationToken);
            }

            while (tally.Value.NextRecord < chunkSize)
            {
                await WaitForSendersAsync(clock.GetUtcNow() + BatchLease.RenewEvery, cancellationToken);
                var group = new List<CsvRecord>(RecordsPerWrite);
                while (group.Count < Math.Min(RecordsPerWrite, chunkSize - tally.Value.NextRecord) &&
                       await reader.ReadAsync(cancellationToken) is { } record)
                {
                    group.Add(record);
                }

                if (group.Count == 0)
                {
                    throw new InvalidOperationException($"Batch {batch.BatchId} holds fewer records than its first pass counted.");
                }

                var lines = await ProcessGroupAsync(merchant, batch, header, position, group, cancellationToken);
                foreach (var outcome in lines.GroupBy(l => l.Line.State))
                {
                    PayByLinkTelemetry.BatchRecords.Add(outcome.Count(), new KeyValuePair<string, object?>("outcome", outcome.Key.ToString()));
                }

                position += group.Count;
                tally = await WriteAsync(batch, chunk, tally, lines, cancellationToken);
                if (tally is null)
                {
                    return false;
                }
            }

            var next = chunk + 1;
            if (!await lease.UpdateAsync(b => b with { NextChunk = next }))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Waits while more than <see cref="MaxSendsWaiting"/> sends wait on the queues, but not past
    /// <paramref name="until"/>, when the lease is due for renewal (a stalled sender slows a batch to a trickle
    /// rather than holding it).
    /// </summary>
    private async Task WaitForSendersAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        while (await publisher.CountWaitingAsync(cancellationToken) > MaxSendsWaiting && clock.GetUtcNow() < until)
        {
            await Task.Delay(SendsWaitingPause, clock, cancellationToken);
        }
    }

    private async Task<Versioned<ChunkTally>?> WriteAsync(Batch batch, int chunk, Versioned<ChunkTally> tally,
        IReadOnlyList<(BatchLine Line, BatchLineOutcome? Outcome)> processed, CancellationToken cancellationToken)
    {
        var start = tally.Value.NextRecord;
        var lines = processed.Select(p => p.Line).ToList();
        var outcomes = processed.Where(p => p.Outcome is not null).Select(p => p.Outcome!).ToList();
        for (var attempt = 1; ; attempt++)
        {
            var t = tally.Value;
            var next = t with
            {
                NextRecord = t.NextRecord + lines.Count,
                Accepted = t.Accepted + lines.Count(l => l.State == BatchLineState.Accepted),
                Rejected = t.Rejected + lines.Count(l => l.State == BatchLineState.Rejected),
                Sent = t.Sent + outcomes.Count(o => o.Sent),
                DeliveryFailed = t.DeliveryFailed + outcomes.Count(o => !o.Sent),
            };
            if (await batches.TryWriteLinesAsync(batch.MerchantId, batch.BatchId, chunk, tally, next, lines, outcomes, cancellationToken) is { } written)
            {
                return written;
            }

            // A sender counted a delivery in this chunk meanwhile: count again from its tally. If the checkpoint
            // itself moved, another processor has taken the batch over.
            tally = await batches.ReadTallyAsync(batch.MerchantId, batch.BatchId, chunk, cancellationToken);
            if (tally.Value.NextRecord != start)
            {
                return null;
            }

            if (attempt == MaxWriteAttempts)
            {
                throw new InvalidOperationException($"Batch {batch.BatchId} chunk {chunk}: the tally changed under {attempt} writes in a row.");
            }
        }
    }

    /// <summary>How many times lines are written again after senders counted in the same chunk meanwhile.</summary>
    private const int MaxWriteAttempts = 20;

    private async Task<IReadOnlyList<(BatchLine Line, BatchLineOutcome? Outcome)>> ProcessGroupAsync(Merchant merchant, Batch batch,
        BatchHeader header, int firstRecord, IReadOnlyList<CsvRecord> group, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var firstLineOfRef = new Dictionary<string, int>(StringComparer.Ordinal);
        var work = new Task<(BatchLine, BatchLineOutcome?)>[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            var record = group[i];
            var number = firstRecord + i;
            var (input, errors) = BatchFile.ToInput(header, record);
            var validation = input is null ? null : PaymentRequestRules.Validate(input, merchant, now);
            if (validation?.Value is not { } content)
            {
                work[i] = Task.FromResult(Rejected(number, record, validation?.Errors ?? errors));
            }
            else if (firstLineOfRef.TryGetValue(content.ClientTransactionRef, out var firstLine))
            {
                work[i] = Task.FromResult(Rejected(number, record, [DuplicateOf(firstLine)]));
            }
            else
            {
                firstLineOfRef[content.ClientTransactionRef] = record.Line;
                work[i] = CreateAsync(merchant, batch, number, record, content, cancellationToken);
            }
        }

        return await Task.WhenAll(work);
    }

    private async Task<(BatchLine, BatchLineOutcome?)> CreateAsync(Merchant merchant, Batch batch, int number, CsvRecord record,
        PaymentRequestContent content, CancellationToken cancellationToken)
    {
        var origin = new BatchLineRef(batch.BatchId, number, record.Line);
        var result = await create.CreateAsync(merchant, content, origin, cancellationToken);
        var request = result.Request!;
        if (result.Outcome == CreateOutcome.Created || request.Batch == origin)
        {
            return (Accepted(number, record, request), null);
        }

        if (request.Batch is { } other && other.BatchId == batch.BatchId)
        {
            return Rejected(number, record, [DuplicateOf(other.Line)]);
        }

        if (result.Outcome == CreateOutcome.Conflict)
        {
            return Rejected(number, record, [new FieldError("clientTransactionRef", "duplicate_client_transaction_ref",
                $"The clientTransactionRef is already used by a different request ({request.RequestId}).")]);
        }

        // An identical earlier request is kept and not sent again: the line takes that request's state as it is.
        var outcome = request.Status is PaymentRequestStatus.Failed or PaymentRequestStatus.Cancelled or PaymentRequestStatus.Expired
            ? new BatchLineOutcome(number, false, [new FieldError("clientTransactionRef", "earlier_request_closed",
                $"An identical earlier request ({request.RequestId}) is {request.Status}; it is not sent again.")])
            : new BatchLineOutcome(number, true, []);
        return (Accepted(number, record, request), outcome);
    }

    private static BatchLine Accepted(int number, CsvRecord record, PaymentRequest request) =>
        new(number, record.Line, BatchLineState.Accepted, request.RequestId, record.Raw, []);

    private static (BatchLine, BatchLineOutcome?) Rejected(int number, CsvRecord record, IReadOnlyList<FieldError> errors) =>
        (new BatchLine(number, record.Line, BatchLineState.Rejected, null, record.Raw, errors), null);

    private static FieldError DuplicateOf(int line) =>
        new("clientTransactionRef", "duplicate_in_file", $"Duplicate of line {line}.");

    private async Task FailAsync(BatchLease lease, string reason)
    {
        if (await lease.FinishAsync(b => Failed(b, reason)))
        {
            await uploads.RetireAsync(lease.Batch.BlobName, lease.Token);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {MerchantId}/{BatchId}: all {Total} records processed")]
    private partial void LogSplit(string merchantId, string batchId, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {MerchantId}/{BatchId} could not be released; its lease runs out instead")]
    private partial void LogReleaseFailed(Exception exception, string merchantId, string batchId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {MerchantId}/{BatchId} failed: {Reason}")]
    private partial void LogUnreadable(string merchantId, string batchId, string reason);
}
