using Microsoft.Extensions.Logging;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Core.Telemetry;

namespace PayByLink.Core.Batches;

public enum ChunkOutcome
{
    /// <summary>The chunk's records are all lines now.</summary>
    Written,

    /// <summary>Its records were all lines already: a repeat of the work.</summary>
    AlreadyWritten,

    /// <summary>The batch is finished, gone, or not checked yet: nothing to do.</summary>
    NoBatch,
}

/// <summary>
/// Turns one chunk of a checked batch file into payment requests: validates each record with the rules of a single
/// create, creates the requests <see cref="RecordsPerWrite"/> at a time, publishes the group's sends together, and
/// writes the group's lines with the chunk's tally in one transaction. The tally is the checkpoint: a worker that
/// stops is replaced when its message comes back, and carries on after the last write, re-finding (never re-sending)
/// any request made since. Any number of workers may run; two on one chunk make each request once between them: a
/// worker that finds the checkpoint moved past its group (another worker wrote the same lines, or its own write
/// succeeded though its answer was lost) carries on from there.
/// </summary>
public sealed partial class ProcessBatchChunk(
    IBatchStore batches,
    IBatchLedger ledger,
    BatchCompletion completion,
    IBatchUploads uploads,
    IMerchantStore merchants,
    CreatePaymentRequest create,
    ISendMessagePublisher publisher,
    SendersBacklog backlog,
    TimeProvider clock,
    ILogger<ProcessBatchChunk> logger)
{
    /// <summary>Records per transaction: each may add a line and an outcome, and the tally rides along (≤ 100 entities).</summary>
    public const int RecordsPerWrite = 48;

    private static readonly TimeSpan SendsWaitingPause = TimeSpan.FromMilliseconds(200);

    public async Task<ChunkOutcome> ExecuteAsync(BatchChunkWork work, CancellationToken cancellationToken)
    {
        using var activity = PayByLinkTelemetry.Source.StartActivity("process batch chunk");
        activity?.SetTag("paybylink.merchant", work.MerchantId);
        activity?.SetTag("paybylink.batch", work.BatchId);
        activity?.SetTag("paybylink.chunk", work.Chunk);
        if (await batches.FindAsync(work.MerchantId, work.BatchId, cancellationToken) is not { Value: { Header: not null, Snapshot: not null, IsFinished: false } batch } ||
            work.Chunk >= batch.ChunkCount ||
            await merchants.FindAsync(work.MerchantId, cancellationToken) is not { } merchant)
        {
            return ChunkOutcome.NoBatch;
        }

        var size = batch.ChunkSize(work.Chunk);
        var tally = await ledger.ReadTallyAsync(work.MerchantId, work.BatchId, work.Chunk, cancellationToken);
        if (tally.Value.NextRecord >= size)
        {
            return ChunkOutcome.AlreadyWritten;
        }

        // Before any request of the chunk exists, so a count of the batch reads this chunk's rows.
        await ledger.MarkChunkStartedAsync(work.MerchantId, work.BatchId, work.Chunk, cancellationToken);
        var header = new BatchHeader(batch.Header);
        await using var stream = await uploads.OpenReadAsync(batch.BlobName, batch.Snapshot, work.Offset, cancellationToken);
        var reader = new CsvRecordReader(BatchFile.OpenText(stream), firstLine: work.Line) { ExpectedFields = batch.Header.Count };
        for (var skipped = 0; skipped < tally.Value.NextRecord; skipped++)
        {
            await reader.ReadAsync(cancellationToken);
        }

        var chunkStart = work.Chunk * Batch.RecordsPerChunk;
        var stopped = batch.StoppedAt is not null;
        var firstGroup = true;
        while (tally.Value.NextRecord < size)
        {
            await WaitForSendersAsync(cancellationToken);
            var group = new List<CsvRecord>(RecordsPerWrite);
            while (group.Count < Math.Min(RecordsPerWrite, size - tally.Value.NextRecord) && await reader.ReadAsync(cancellationToken) is { } record)
            {
                group.Add(record);
            }

            if (group.Count == 0)
            {
                throw new InvalidOperationException($"Batch {batch.BatchId} chunk {work.Chunk} holds fewer records than the file's check counted.");
            }

            // A batch stopped meanwhile makes no more requests: its remaining lines are written as stopped. The first
            // group goes by the batch as read above.
            stopped = stopped || (!firstGroup && (await batches.FindAsync(work.MerchantId, work.BatchId, cancellationToken))?.Value.StoppedAt is not null);
            firstGroup = false;
            var processed = stopped
                ? group.Select((r, i) => Rejected(chunkStart + tally.Value.NextRecord + i, r, [StoppedLine])).ToList()
                : await ProcessGroupAsync(merchant, batch, header, chunkStart + tally.Value.NextRecord, group, cancellationToken);
            await publisher.PublishAsync(processed.SelectMany(p => p.Sends).ToList(), cancellationToken);
            foreach (var outcome in processed.GroupBy(p => p.Line.State))
            {
                PayByLinkTelemetry.BatchRecords.Add(outcome.Count(), new KeyValuePair<string, object?>("outcome", outcome.Key.ToString()));
            }

            var read = tally.Value.NextRecord + group.Count;
            tally = await WriteAsync(batch, work.Chunk, tally, processed, cancellationToken);
            for (; read < Math.Min(tally.Value.NextRecord, size); read++)
            {
                await reader.ReadAsync(cancellationToken); // written by another worker meanwhile
            }
        }

        // The chunk's last lines may be the batch's last, or settle it (every line rejected): look now, not at the next watch.
        await completion.CheckAsync(work.MerchantId, work.BatchId, cancellationToken);
        return ChunkOutcome.Written;
    }

    /// <summary>
    /// Waits while more than the backlog's most sends wait on the queues, but not longer than its longest wait.
    /// </summary>
    private async Task WaitForSendersAsync(CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() + backlog.MaxWait;
        while (await publisher.CountWaitingAsync(cancellationToken) > backlog.MaxSendsWaiting && clock.GetUtcNow() < until)
        {
            await Task.Delay(SendsWaitingPause, clock, cancellationToken);
        }
    }

    /// <summary>
    /// Writes the group's lines with the chunk's tally: the tally after them, or as found when the checkpoint had moved
    /// on (the same lines written by another worker, or by this write when its answer was lost on the way back).
    /// </summary>
    private async Task<Versioned<ChunkTally>> WriteAsync(Batch batch, int chunk, Versioned<ChunkTally> tally,
        IReadOnlyList<ProcessedRecord> processed, CancellationToken cancellationToken)
    {
        var start = tally.Value.NextRecord;
        var lines = processed.Select(p => p.Line).ToList();
        var outcomes = processed.Where(p => p.Outcome is not null).Select(p => p.Outcome!).ToList();
        return await ConditionalWrite.RetryAsync($"Batch {batch.BatchId} chunk {chunk}'s tally", async attempt =>
        {
            if (attempt > 1)
            {
                // A sender counted a delivery in this chunk meanwhile: count again from its tally. If the checkpoint
                // itself moved, these lines are written.
                tally = await ledger.ReadTallyAsync(batch.MerchantId, batch.BatchId, chunk, cancellationToken);
                if (tally.Value.NextRecord != start)
                {
                    LogMovedOn(batch.MerchantId, batch.BatchId, chunk, start, tally.Value.NextRecord);
                    return WriteAttempt.Done(tally);
                }
            }

            var t = tally.Value;
            var next = t with
            {
                NextRecord = t.NextRecord + lines.Count,
                Accepted = t.Accepted + lines.Count(l => l.State == BatchLineState.Accepted),
                Rejected = t.Rejected + lines.Count(l => l.State == BatchLineState.Rejected),
                Sent = t.Sent + outcomes.Count(o => o.Sent),
                DeliveryFailed = t.DeliveryFailed + outcomes.Count(o => !o.Sent),
            };
            return await ledger.TryWriteLinesAsync(batch.MerchantId, batch.BatchId, chunk, tally, next, lines, outcomes, cancellationToken) is { } written
                ? WriteAttempt.Done(written)
                : WriteAttempt<Versioned<ChunkTally>>.Conflict;
        });
    }

    /// <summary>The reason of a line its batch was stopped before it was made.</summary>
    public static readonly FieldError StoppedLine = new("batch", "batch_stopped", "The batch was stopped before this line was sent.");

    /// <summary>A record as processed: its line, its outcome when already final, and the sends its request is to have.</summary>
    private sealed record ProcessedRecord(BatchLine Line, BatchLineOutcome? Outcome, IReadOnlyList<SendMessage> Sends);

    private async Task<IReadOnlyList<ProcessedRecord>> ProcessGroupAsync(Merchant merchant, Batch batch, BatchHeader header, int firstRecord,
        IReadOnlyList<CsvRecord> group, CancellationToken cancellationToken)
    {
        var check = new BatchRecordCheck(header, merchant, clock.GetUtcNow());
        var work = new Task<ProcessedRecord>[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            var record = group[i];
            var number = firstRecord + i;
            var (content, errors) = check.Check(record);
            work[i] = content is null
                ? Task.FromResult(Rejected(number, record, errors))
                : CreateAsync(merchant, batch, number, record, content, cancellationToken);
        }

        return await Task.WhenAll(work);
    }

    private async Task<ProcessedRecord> CreateAsync(Merchant merchant, Batch batch, int number, CsvRecord record, PaymentRequestContent content,
        CancellationToken cancellationToken)
    {
        var origin = new BatchLineRef(batch.BatchId, number, record.Line);
        var result = await create.CreateAsync(merchant, content, origin, Actor.Batch(origin.BatchId), cancellationToken);
        var request = result.Request!;
        if (result.Outcome == CreateOutcome.Created || BatchLineOutcomes.IsOwnRequest(origin, request))
        {
            return new ProcessedRecord(Accepted(number, record, request), null, result.Sends);
        }

        if (request.Batch is { } other && other.BatchId == batch.BatchId)
        {
            return Rejected(number, record, [BatchRecordCheck.DuplicateOf(other.Line)]);
        }

        if (result.Outcome == CreateOutcome.Conflict)
        {
            return Rejected(number, record, [new FieldError("clientTransactionRef", "duplicate_client_transaction_ref",
                $"The clientTransactionRef is already used by a different request ({request.RequestId}).")]);
        }

        // An identical earlier request is kept and not sent again: the line is settled now, as that request stands.
        return new ProcessedRecord(Accepted(number, record, request), BatchLineOutcomes.ForEarlierRequest(number, request), []);
    }

    private static BatchLine Accepted(int number, CsvRecord record, PaymentRequest request) =>
        new(number, record.Line, BatchLineState.Accepted, request.RequestId, record.Raw, []);

    private static ProcessedRecord Rejected(int number, CsvRecord record, IReadOnlyList<FieldError> errors) =>
        new(new BatchLine(number, record.Line, BatchLineState.Rejected, null, record.Raw, errors), null, []);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {MerchantId}/{BatchId} chunk {Chunk}: lines from {From} were written meanwhile, up to {To}; carrying on from there")]
    private partial void LogMovedOn(string merchantId, string batchId, int chunk, int from, int to);
}
