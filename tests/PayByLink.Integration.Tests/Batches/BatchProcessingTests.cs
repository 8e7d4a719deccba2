using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Delivery;
using PayByLink.Adapters.Storage;
using PayByLink.Batch;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Core.Scheduling;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Batches;

/// <summary>
/// The Batch app's functions called directly with real blobs and queue messages on a private Azurite, where no
/// local worker competes: dispatching once, chunk workers that stop, die or race each other, and counting deliveries
/// under concurrent senders.
/// </summary>
public sealed class BatchProcessingTests : IAsyncLifetime
{
    private PrivateServices _private = null!;

    public async Task InitializeAsync() => _private = await PrivateServices.StartAsync("batch-merchant");

    public async Task DisposeAsync() => await _private.DisposeAsync();

    private ServiceProvider Services => _private.Services;

    private Merchant Merchant => _private.Merchant;

    private StorageClients Storage => Services.GetRequiredService<StorageClients>();
    private IBatchStore Batches => Services.GetRequiredService<IBatchStore>();

    private IBatchLedger Ledger => Services.GetRequiredService<IBatchLedger>();
    private BatchUploadFunctions Functions => new(Services.GetRequiredService<ProcessBatchUpload>(), Services.GetRequiredService<ProcessBatchChunk>());

    private ProcessBatchChunk Chunks => Services.GetRequiredService<ProcessBatchChunk>();

    /// <summary>Takes every chunk message off the queue, as the Batch app's chunk trigger would.</summary>
    private async Task<List<string>> TakeChunkMessagesAsync()
    {
        var queue = Storage.Queues.GetQueueClient(StorageNames.BatchChunksQueue);
        var taken = new List<string>();
        while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                taken.Add(message.Body.ToString());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        return taken;
    }

    /// <summary>Runs every queued chunk through the Batch app's chunk function; how many there were.</summary>
    private async Task<int> RunChunksAsync()
    {
        var messages = await TakeChunkMessagesAsync();
        foreach (var message in messages)
        {
            await Functions.OnChunk(message, CancellationToken.None);
        }

        return messages.Count;
    }

    private async Task<(Core.Batches.Batch Batch, BlobClient Blob, string[] Refs)> UploadAsync(int records)
    {
        var started = (await Services.GetRequiredService<StartBatch>().ExecuteAsync(Merchant, "file.csv", false, CancellationToken.None)).Started!;
        var refs = Enumerable.Range(0, records).Select(_ => BatchFiles.NewRef()).ToArray();
        var blob = Storage.Blobs.GetBlobContainerClient(StorageNames.BatchUploadsContainer).GetBlobClient(started.Batch.BlobName);
        await blob.UploadAsync(new BinaryData(BatchFiles.Csv([BatchFiles.Header, .. refs.Select(r => BatchFiles.Line(r))])));
        return (started.Batch, blob, refs);
    }

    private Task<BatchState?> ReadAsync(string batchId) =>
        Services.GetRequiredService<ReadBatch>().ExecuteAsync(Merchant.Id, batchId, CancellationToken.None);

    private async Task<List<PaymentRequestSummary>> RequestsForAsync(string reference) =>
        (await Services.GetRequiredService<IPaymentRequestStore>().ListAsync(Merchant.Id,
            new PaymentRequestFilter { ClientTransactionRef = reference }, 10, null, CancellationToken.None)).Items.ToList();

    [Fact]
    public async Task The_blob_trigger_processes_a_landed_file_once()
    {
        var (batch, blob, refs) = await UploadAsync(5);

        await Task.WhenAll(Functions.OnUpload(blob, CancellationToken.None), Functions.OnUpload(blob, CancellationToken.None));
        await Functions.OnUpload(blob, CancellationToken.None);
        (await RunChunksAsync()).ShouldBe(1, "the file is dispatched once: one chunk, queued once");

        var state = (await ReadAsync(batch.BatchId))!;
        state.Batch.Status.ShouldBe(BatchStatus.Processing);
        state.Counts.ShouldBe(new BatchCounts(5, 5, 0, 0, 0));
        foreach (var reference in refs)
        {
            (await RequestsForAsync(reference)).Count.ShouldBe(1);
        }

        // A processed upload is emptied (its lines keep what is needed) and its name kept, so its URL cannot write it again.
        var retired = await blob.GetPropertiesAsync();
        retired.Value.ContentLength.ShouldBe(0);
        IBatchUploads.IsRetired(retired.Value.Metadata).ShouldBeTrue();
        var snapshots = new List<string>();
        await foreach (var item in Azure.Storage.Blobs.Specialized.SpecializedBlobExtensions.GetParentBlobContainerClient(blob).GetBlobsAsync(
                           new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = blob.Name, States = Azure.Storage.Blobs.Models.BlobStates.Snapshots }))
        {
            snapshots.Add(item.Snapshot ?? "");
        }

        snapshots.ShouldBe([""], "the upload's snapshots are deleted");
    }

    [Fact]
    public async Task A_batch_waits_while_the_senders_are_behind_and_goes_on_when_they_catch_up()
    {
        var sms = Storage.Queues.GetQueueClient(StorageNames.SmsQueue);
        await Parallel.ForEachAsync(Enumerable.Range(0, SendersBacklog.Default.MaxSendsWaiting + 1), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await sms.SendMessageAsync($"waiting {i}", ct));
        var (batch, _, refs) = await UploadAsync(5);
        (await Services.GetRequiredService<ProcessBatchUpload>().ExecuteAsync(Merchant.Id, batch.BatchId, CancellationToken.None)).ShouldBe(ProcessOutcome.Processed);

        var publisher = new BacklogWatchingPublisher(Services.GetRequiredService<ISendMessagePublisher>());
        var chunks = ActivatorUtilities.CreateInstance<ProcessBatchChunk>(Services, (ISendMessagePublisher)publisher);
        var processing = chunks.ExecuteAsync(BatchChunkMessage.Parse((await TakeChunkMessagesAsync()).Single()), CancellationToken.None);

        // The worker has looked at the senders' backlog twice, and waited between rather than writing.
        await publisher.LookedTwice.Task.WaitAsync(TimeSpan.FromSeconds(20));
        processing.IsCompleted.ShouldBeFalse();
        (await ReadAsync(batch.BatchId))!.Counts.Accepted.ShouldBe(0);
        (await RequestsForAsync(refs[0])).ShouldBeEmpty();

        await sms.ClearMessagesAsync();

        (await processing).ShouldBe(ChunkOutcome.Written);
        (await ReadAsync(batch.BatchId))!.Counts.Accepted.ShouldBe(5);
    }

    [Fact]
    public async Task Past_its_retention_the_timer_forgets_a_batchs_lines_as_uploaded_and_its_failed_records_keep_their_lines_and_reasons()
    {
        var started = (await Services.GetRequiredService<StartBatch>().ExecuteAsync(Merchant, "file.csv", false, CancellationToken.None)).Started!;
        var blob = Storage.Blobs.GetBlobContainerClient(StorageNames.BatchUploadsContainer).GetBlobClient(started.Batch.BlobName);
        await blob.UploadAsync(new BinaryData(BatchFiles.Csv(BatchFiles.Header, BatchFiles.Line(), $"{BatchFiles.NewRef()},-5,ACC-1,Rent,Jane,Forgettable,07700 900123,")));
        (await Services.GetRequiredService<ConfirmBatchUpload>().ExecuteAsync(Merchant.Id, started.Batch.BatchId, CancellationToken.None))
            .Outcome.ShouldBe(ConfirmOutcome.Accepted);
        var message = (await Storage.Queues.GetQueueClient(StorageNames.BatchProcessQueue).ReceiveMessageAsync()).Value;
        await Functions.OnConfirm(message.Body.ToString(), CancellationToken.None);
        await RunChunksAsync();
        (await Ledger.ListFailedAsync(Merchant.Id, started.Batch.BatchId, CancellationToken.None).SingleAsync()).Raw.ShouldContain("Forgettable");

        // Its retention runs out: the timer's event for it falls due.
        await Services.GetRequiredService<IScheduleStore>().AddAsync(new ScheduledEvent(Merchant.Id, started.Batch.BatchId, RunSchedule.RetentionPurpose,
            ScheduledAction.ForgetBatch, DateTimeOffset.UtcNow.AddMinutes(-1)), CancellationToken.None);
        await Services.GetRequiredService<RunSchedule>().ExecuteAsync(CancellationToken.None);

        var failed = await Ledger.ListFailedAsync(Merchant.Id, started.Batch.BatchId, CancellationToken.None).SingleAsync();
        (failed.Line, failed.Raw, failed.Errors.Single().Field).ShouldBe((3, "", "amount"));
        var lines = Storage.Table(StorageNames.BatchLinesTable).QueryAsync<Azure.Data.Tables.TableEntity>(
            Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey ge {Merchant.Id + "|" + started.Batch.BatchId}"));
        await foreach (var row in lines)
        {
            (row.GetString("Raw") ?? "").ShouldBeEmpty(row.RowKey);
        }

        (await Ledger.ForgetBatchAsync(Merchant.Id, started.Batch.BatchId, CancellationToken.None)).ShouldBe(0, "forgotten once");
    }

    [Fact]
    public async Task The_queue_trigger_processes_a_confirmed_batch()
    {
        var (batch, _, _) = await UploadAsync(2);
        (await Services.GetRequiredService<ConfirmBatchUpload>().ExecuteAsync(Merchant.Id, batch.BatchId, CancellationToken.None))
            .Outcome.ShouldBe(ConfirmOutcome.Accepted);
        var message = (await Storage.Queues.GetQueueClient(StorageNames.BatchProcessQueue).ReceiveMessageAsync()).Value;

        await Functions.OnConfirm(message.Body.ToString(), CancellationToken.None);
        await RunChunksAsync();

        (await ReadAsync(batch.BatchId))!.Counts.Accepted.ShouldBe(2);
    }

    [Fact]
    public async Task A_batch_held_by_a_dispatcher_waits_out_its_lease_and_is_then_taken_over()
    {
        var (batch, _, _) = await UploadAsync(3);
        var found = (await Batches.FindAsync(Merchant.Id, batch.BatchId, CancellationToken.None))!;

        // As if a dispatcher had died holding the batch: the batch waits out the lease, then is taken over.
        var held = (await Batches.TryReplaceAsync(found, found.Value with { Status = BatchStatus.Processing, LeaseUntil = BatchLease.Until(DateTimeOffset.UtcNow) },
            null, CancellationToken.None))!;
        var process = Services.GetRequiredService<ProcessBatchUpload>();
        (await process.ExecuteAsync(Merchant.Id, batch.BatchId, CancellationToken.None)).ShouldBe(ProcessOutcome.HeldElsewhere);
        await Batches.TryReplaceAsync(held, held.Value with { LeaseUntil = DateTimeOffset.UtcNow.AddSeconds(-1) }, null, CancellationToken.None);
        (await process.ExecuteAsync(Merchant.Id, batch.BatchId, CancellationToken.None)).ShouldBe(ProcessOutcome.Processed);
        (await RunChunksAsync()).ShouldBe(1);

        (await ReadAsync(batch.BatchId))!.Counts.ShouldBe(new BatchCounts(3, 3, 0, 0, 0));
    }

    [Fact]
    public async Task A_chunk_worker_stopped_mid_chunk_is_carried_on_from_its_checkpoint_without_duplicates_or_lost_lines()
    {
        var (batch, _, refs) = await UploadAsync(300);
        await Functions.OnUpload(Storage.Blobs.GetBlobContainerClient(StorageNames.BatchUploadsContainer).GetBlobClient(batch.BlobName), CancellationToken.None);
        var work = BatchChunkMessage.Parse((await TakeChunkMessagesAsync()).Single());
        using var stop = new CancellationTokenSource();
        var first = Chunks.ExecuteAsync(work, stop.Token);
        while ((await Ledger.ReadTallyAsync(Merchant.Id, batch.BatchId, 0, CancellationToken.None)).Value.NextRecord < 96)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(first);
        (await Ledger.ReadTallyAsync(Merchant.Id, batch.BatchId, 0, CancellationToken.None)).Value.NextRecord.ShouldBeLessThan(300);

        // The message comes back (its visibility ran out): the next worker carries on from the checkpoint.
        (await Chunks.ExecuteAsync(work, CancellationToken.None)).ShouldBe(ChunkOutcome.Written);
        (await Chunks.ExecuteAsync(work, CancellationToken.None)).ShouldBe(ChunkOutcome.AlreadyWritten);

        (await ReadAsync(batch.BatchId))!.Counts.ShouldBe(new BatchCounts(300, 300, 0, 0, 0));
        foreach (var reference in refs)
        {
            (await RequestsForAsync(reference)).Count.ShouldBe(1, reference);
        }
    }

    [Fact]
    public async Task Chunks_worked_by_several_workers_at_once_and_each_delivered_twice_make_every_request_once_and_count_exactly()
    {
        // 1,010 records in three chunks, with a reference repeated across chunks and a bad record in the last.
        var started = (await Services.GetRequiredService<StartBatch>().ExecuteAsync(Merchant, "file.csv", false, CancellationToken.None)).Started!;
        var refs = Enumerable.Range(0, 1_009).Select(_ => BatchFiles.NewRef()).ToArray();
        var lines = refs.Select(r => BatchFiles.Line(r)).Append(BatchFiles.Line(refs[10])).ToList();
        lines[1_005] = BatchFiles.Line(BatchFiles.NewRef(), amount: "-1");
        var blob = Storage.Blobs.GetBlobContainerClient(StorageNames.BatchUploadsContainer).GetBlobClient(started.Batch.BlobName);
        await blob.UploadAsync(new BinaryData(BatchFiles.Csv([BatchFiles.Header, .. lines])));
        await Functions.OnUpload(blob, CancellationToken.None);
        var work = (await TakeChunkMessagesAsync()).Select(BatchChunkMessage.Parse).ToList();
        work.Select(w => w.Chunk).ShouldBe([0, 1, 2], ignoreOrder: true);

        // Four workers take the three chunks, every chunk twice (a redelivered message), all at once.
        var outcomes = await Task.WhenAll(work.Concat(work).Select(w => Task.Run(() => Chunks.ExecuteAsync(w, CancellationToken.None))));

        // Each chunk was written by one of its two runs at least, and no run did anything else.
        outcomes.ShouldAllBe(o => o == ChunkOutcome.Written || o == ChunkOutcome.AlreadyWritten);
        Enumerable.Range(0, work.Count).ShouldAllBe(i => outcomes[i] == ChunkOutcome.Written || outcomes[i + work.Count] == ChunkOutcome.Written);
        var state = (await ReadAsync(started.Batch.BatchId))!;
        state.Counts.ShouldBe(new BatchCounts(1_010, 1_008, 0, 2, 0));
        var made = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        await Parallel.ForEachAsync(refs.Where((_, i) => i != 1_005), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (reference, _) => made[reference] = (await RequestsForAsync(reference)).Count);
        made.Where(m => m.Value != 1).ShouldBeEmpty("every reference made exactly one request");

        var failed = await Ledger.ListFailedAsync(Merchant.Id, started.Batch.BatchId, CancellationToken.None).ToListAsync();
        // Of the two lines with one reference, in chunks worked at once, whichever came first keeps the request.
        failed.Count.ShouldBe(2);
        failed.Single(f => f.Line == 1_007).Errors.Single().Code.ShouldBe("not_positive");
        var duplicate = failed.Single(f => f.Line != 1_007);
        duplicate.Line.ShouldBeOneOf(12, 1_011);
        duplicate.Errors.Single().Code.ShouldBe("duplicate_in_file");
        var sends = new HashSet<string>();
        var sms = Storage.Queues.GetQueueClient(StorageNames.BulkSmsQueue);
        while ((await sms.ReceiveMessagesAsync(32)).Value is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                sends.Add(SendMessageJson.Deserialize(message.Body.ToString()).SendId);
                await sms.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        sends.Count.ShouldBe(1_008, "every accepted line's send is queued on the bulk queue (a repeat publish carries the same send id)");
    }

    [Fact]
    public async Task A_batch_whose_chunks_were_lost_has_them_queued_again_by_its_watch_once_its_unread_records_stop_moving()
    {
        var (batch, blob, _) = await UploadAsync(3);
        await Functions.OnUpload(blob, CancellationToken.None);
        (await TakeChunkMessagesAsync()).Count.ShouldBe(1, "taken off the queue and never worked: lost");
        var process = Services.GetRequiredService<ProcessBatchUpload>();

        // The watch notes the unread records, and queues nothing again while the batch may just be slow...
        (await process.ExecuteAsync(Merchant.Id, batch.BatchId, CancellationToken.None)).ShouldBe(ProcessOutcome.AlreadyProcessed);
        var watched = (await Batches.FindAsync(Merchant.Id, batch.BatchId, CancellationToken.None))!;
        watched.Value.UnreadAtWatch.ShouldBe(3);
        (await TakeChunkMessagesAsync()).ShouldBeEmpty();

        // ...but once they have stood still for five minutes, it queues the chunks again.
        await Batches.TryReplaceAsync(watched, watched.Value with { UnreadSince = DateTimeOffset.UtcNow - WatchBatch.StalledAfter }, null,
            CancellationToken.None);
        await process.ExecuteAsync(Merchant.Id, batch.BatchId, CancellationToken.None);
        (await RunChunksAsync()).ShouldBe(1);

        (await ReadAsync(batch.BatchId))!.Counts.ShouldBe(new BatchCounts(3, 3, 0, 0, 0));
    }

    [Fact]
    public async Task Deliveries_reported_by_concurrent_senders_are_each_counted_once_and_complete_the_batch()
    {
        var (batch, blob, refs) = await UploadAsync(60);
        await Functions.OnUpload(blob, CancellationToken.None);
        await RunChunksAsync();
        var statuses = Services.GetRequiredService<PaymentRequestChanges>();
        var ids = new List<string>();
        foreach (var reference in refs)
        {
            ids.Add((await RequestsForAsync(reference)).Single().RequestId);
        }

        // Every request reported sent twice at once, the first one failed instead: 59 sent, 1 failed.
        await Task.WhenAll(ids.Skip(1).SelectMany(id => new[]
        {
            statuses.ExecuteAsync(Merchant.Id, id, PaymentRequestStatus.Sent, Requests.Caller, CancellationToken.None),
            statuses.ExecuteAsync(Merchant.Id, id, PaymentRequestStatus.Sent, Requests.Caller, CancellationToken.None),
        }).Append(statuses.ExecuteAsync(Merchant.Id, ids[0], PaymentRequestStatus.Failed, Requests.Caller, CancellationToken.None)));
        await statuses.ExecuteAsync(Merchant.Id, ids[1], PaymentRequestStatus.Opened, Requests.Caller, CancellationToken.None);

        var state = (await ReadAsync(batch.BatchId))!;
        state.Counts.ShouldBe(new BatchCounts(60, 0, 59, 1, 0));
        state.Batch.Status.ShouldBe(BatchStatus.CompletedWithErrors);
        var failed = await Ledger.ListFailedAsync(Merchant.Id, batch.BatchId, CancellationToken.None).ToListAsync();
        failed.Single().Line.ShouldBe(2);
        failed.Single().Errors.Single().Code.ShouldBe("delivery_failed");
    }

    [Fact]
    public async Task A_lines_outcome_is_counted_once_whether_its_change_is_taken_for_the_first_or_a_later_one()
    {
        var (batch, blob, _) = await UploadAsync(3);
        await Functions.OnUpload(blob, CancellationToken.None);
        (await RunChunksAsync()).ShouldBe(1);
        Task CountAsync(int record, bool likelyCounted) =>
            Ledger.RecordOutcomeAsync(Merchant.Id, batch.BatchId, new BatchLineOutcome(record, true, []), likelyCounted, CancellationToken.None);

        // A receipt's change may be the first to reach the count (the send's own was lost to a crash): it still counts.
        await CountAsync(0, likelyCounted: true);
        await CountAsync(1, likelyCounted: false);
        (await ReadAsync(batch.BatchId))!.Counts.ShouldBe(new BatchCounts(3, 1, 2, 0, 0));

        foreach (var likelyCounted in new[] { true, false })
        {
            await CountAsync(0, likelyCounted);
            await CountAsync(1, likelyCounted);
        }

        (await ReadAsync(batch.BatchId))!.Counts.ShouldBe(new BatchCounts(3, 1, 2, 0, 0), "repeats count nothing");
    }

    [Fact]
    public async Task A_read_counts_settled_chunks_from_their_record_and_queries_only_the_chunks_after_them()
    {
        // 1,100 records in three chunks, all written: the first and last chunks settled, one delivery of the middle one open.
        var now = DateTimeOffset.UtcNow;
        var batch = new Core.Batches.Batch(Merchant.Id, "b-settled-" + Guid.NewGuid().ToString("N")[..8], "file.csv", BatchStatus.Processing,
            now, now.AddMinutes(30), now) { TotalRecords = 1_100, Dispatched = true };
        await Batches.AddAsync(batch, CancellationToken.None);
        await Ledger.MarkChunkStartedAsync(Merchant.Id, batch.BatchId, 2, CancellationToken.None);
        async Task WriteTallyAsync(int chunk, ChunkTally tally) =>
            (await Ledger.TryWriteLinesAsync(Merchant.Id, batch.BatchId, chunk, await Ledger.ReadTallyAsync(Merchant.Id, batch.BatchId, chunk, CancellationToken.None),
                tally, [], [], CancellationToken.None)).ShouldNotBeNull();
        await WriteTallyAsync(0, new ChunkTally(500, 490, 10, 490, 0));
        await WriteTallyAsync(1, new ChunkTally(500, 500, 0, 499, 0));
        await WriteTallyAsync(2, new ChunkTally(100, 100, 0, 100, 0));

        var first = (await ReadAsync(batch.BatchId))!;

        first.Counts.ShouldBe(new BatchCounts(1_100, 1, 1_089, 10, 0));
        first.Batch.Status.ShouldBe(BatchStatus.Processing);
        first.Batch.Read.ShouldBeTrue("every record is a line");
        (await Ledger.ReadProgressAsync(Merchant.Id, batch.BatchId, CancellationToken.None)).Settled.Value
            .ShouldBe(new SettledChunks(1, new ChunkTally(500, 490, 10, 490, 0)), "only the leading settled chunk is recorded");

        // The first chunk's rows are no longer read: a change to them would not show. The middle chunk's last delivery does.
        await WriteTallyAsync(0, ChunkTally.Empty);
        await Ledger.RecordOutcomeAsync(Merchant.Id, batch.BatchId,
            new BatchLineOutcome(505, false, [new FieldError("delivery", "delivery_failed", "No channel could deliver the link.")]), likelyCounted: false,
            CancellationToken.None);

        var last = (await ReadAsync(batch.BatchId))!;

        last.Counts.ShouldBe(new BatchCounts(1_100, 0, 1_089, 11, 0));
        last.Batch.Status.ShouldBe(BatchStatus.CompletedWithErrors);
        (await Ledger.ReadProgressAsync(Merchant.Id, batch.BatchId, CancellationToken.None)).Settled.Value.Chunks.ShouldBe(3);
    }

    /// <summary>The senders' queues, with a signal once a worker has asked twice how many sends wait.</summary>
    private sealed class BacklogWatchingPublisher(ISendMessagePublisher inner) : ISendMessagePublisher
    {
        private int _looks;

        public TaskCompletionSource LookedTwice { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task PublishAsync(IReadOnlyList<SendMessage> messages, CancellationToken cancellationToken) => inner.PublishAsync(messages, cancellationToken);

        public async Task<long?> CountWaitingAsync(CancellationToken cancellationToken)
        {
            var waiting = await inner.CountWaitingAsync(cancellationToken);
            if (Interlocked.Increment(ref _looks) == 2)
            {
                LookedTwice.TrySetResult();
            }

            return waiting;
        }
    }
}
