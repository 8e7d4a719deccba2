using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters.Storage;
using PayByLink.Batch;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Batches;

/// <summary>
/// The Batch app's functions called directly with real blobs and queue messages on a private Azurite, where no
/// local worker competes: processing once, resuming after a stop, and counting deliveries under concurrent senders.
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
    private BatchUploadFunctions Functions => new(Services.GetRequiredService<ProcessBatchUpload>());

    private async Task<(Core.Batches.Batch Batch, BlobClient Blob, string[] Refs)> UploadAsync(int records)
    {
        var started = (await Services.GetRequiredService<StartBatch>().ExecuteAsync(Merchant, "file.csv", CancellationToken.None)).Started!;
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
        await Parallel.ForEachAsync(Enumerable.Range(0, ProcessBatchUpload.MaxSendsWaiting + 1), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await sms.SendMessageAsync($"waiting {i}", ct));
        var (batch, _, refs) = await UploadAsync(5);

        var processing = Services.GetRequiredService<ProcessBatchUpload>().ExecuteAsync(Merchant.Id, batch.BatchId, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));

        processing.IsCompleted.ShouldBeFalse();
        (await ReadAsync(batch.BatchId))!.Counts.Accepted.ShouldBe(0);
        (await RequestsForAsync(refs[0])).ShouldBeEmpty();

        await sms.ClearMessagesAsync();

        (await processing).ShouldBe(ProcessOutcome.Processed);
        (await ReadAsync(batch.BatchId))!.Counts.Accepted.ShouldBe(5);
    }

    [Fact]
    public async Task The_queue_trigger_processes_a_confirmed_batch()
    {
        var (batch, _, _) = await UploadAsync(2);
        (await Services.GetRequiredService<ConfirmBatchUpload>().ExecuteAsync(Merchant.Id, batch.BatchId, CancellationToken.None))
            .Outcome.ShouldBe(ConfirmOutcome.Accepted);
        var message = (await Storage.Queues.GetQueueClient(StorageNames.BatchProcessQueue).ReceiveMessageAsync()).Value;

        await Functions.OnConfirm(message.Body.ToString(), CancellationToken.None);

        (await ReadAsync(batch.BatchId))!.Counts.Accepted.ShouldBe(2);
    }

    [Fact]
    public async Task A_processor_stopped_mid_file_releases_it_and_one_that_died_is_taken_over_after_its_lease_without_duplicates_or_lost_lines()
    {
        var (batch, _, refs) = await UploadAsync(300);
        var process = Services.GetRequiredService<ProcessBatchUpload>();
        using var stop = new CancellationTokenSource();
        var first = process.ExecuteAsync(Merchant.Id, batch.BatchId, stop.Token);
        while ((await Batches.ReadTallyAsync(Merchant.Id, batch.BatchId, 0, CancellationToken.None)).Value.NextRecord < 96)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(first);
        var stopped = (await Batches.FindAsync(Merchant.Id, batch.BatchId, CancellationToken.None))!;
        stopped.Value.LeaseUntil.ShouldBeNull("a processor that is stopped gives its batch up");
        (await Batches.ReadTallyAsync(Merchant.Id, batch.BatchId, 0, CancellationToken.None)).Value.NextRecord.ShouldBeLessThan(300);

        // As if it had died holding the batch: the batch waits out the lease, then is taken over.
        var held = (await Batches.TryReplaceAsync(stopped, stopped.Value with { LeaseUntil = BatchLease.Until(DateTimeOffset.UtcNow) }, null, CancellationToken.None))!;
        (await process.ExecuteAsync(Merchant.Id, batch.BatchId, CancellationToken.None)).ShouldBe(ProcessOutcome.HeldElsewhere);
        await Batches.TryReplaceAsync(held, held.Value with { LeaseUntil = DateTimeOffset.UtcNow.AddSeconds(-1) }, null, CancellationToken.None);
        (await process.ExecuteAsync(Merchant.Id, batch.BatchId, CancellationToken.None)).ShouldBe(ProcessOutcome.Processed);

        (await ReadAsync(batch.BatchId))!.Counts.ShouldBe(new BatchCounts(300, 300, 0, 0, 0));
        foreach (var reference in refs)
        {
            (await RequestsForAsync(reference)).Count.ShouldBe(1, reference);
        }
    }

    [Fact]
    public async Task A_processor_that_loses_its_lease_stops_and_leaves_the_batch_and_its_file_to_the_new_holder()
    {
        var (batch, blob, _) = await UploadAsync(2000);
        var process = Services.GetRequiredService<ProcessBatchUpload>();
        var run = process.ExecuteAsync(Merchant.Id, batch.BatchId, CancellationToken.None);
        while ((await Batches.ReadTallyAsync(Merchant.Id, batch.BatchId, 0, CancellationToken.None)).Value.NextRecord < 48)
        {
            await Task.Delay(20);
        }

        // Another processor takes the batch over (as after a lease that ran out while this one stalled).
        var takenUntil = DateTimeOffset.UtcNow.AddMinutes(10);
        Versioned<Core.Batches.Batch>? taken = null;
        while (taken is null)
        {
            var current = (await Batches.FindAsync(Merchant.Id, batch.BatchId, CancellationToken.None))!;
            taken = await Batches.TryReplaceAsync(current, current.Value with { LeaseUntil = takenUntil }, null, CancellationToken.None);
        }

        (await run.WaitAsync(BatchLease.RenewEvery * 3)).ShouldBe(ProcessOutcome.HeldElsewhere);
        var after = (await Batches.FindAsync(Merchant.Id, batch.BatchId, CancellationToken.None))!;
        after.Version.ShouldBe(taken.Version, "the processor that lost the lease wrote the batch again");
        after.Value.Split.ShouldBeFalse();
        (await blob.GetPropertiesAsync()).Value.ContentLength.ShouldBeGreaterThan(0, "the file was emptied from under its new holder");
    }

    [Fact]
    public async Task Deliveries_reported_by_concurrent_senders_are_each_counted_once_and_complete_the_batch()
    {
        var (batch, blob, refs) = await UploadAsync(60);
        await Functions.OnUpload(blob, CancellationToken.None);
        var statuses = Services.GetRequiredService<PaymentRequestChanges>();
        var ids = new List<string>();
        foreach (var reference in refs)
        {
            ids.Add((await RequestsForAsync(reference)).Single().RequestId);
        }

        // Every request reported sent twice at once, the first one failed instead: 59 sent, 1 failed.
        await Task.WhenAll(ids.Skip(1).SelectMany(id => new[]
        {
            statuses.ExecuteAsync(Merchant.Id, id, PaymentRequestStatus.Sent, CancellationToken.None),
            statuses.ExecuteAsync(Merchant.Id, id, PaymentRequestStatus.Sent, CancellationToken.None),
        }).Append(statuses.ExecuteAsync(Merchant.Id, ids[0], PaymentRequestStatus.Failed, CancellationToken.None)));
        await statuses.ExecuteAsync(Merchant.Id, ids[1], PaymentRequestStatus.Opened, CancellationToken.None);

        var state = (await ReadAsync(batch.BatchId))!;
        state.Counts.ShouldBe(new BatchCounts(60, 0, 59, 1, 0));
        state.Batch.Status.ShouldBe(BatchStatus.CompletedWithErrors);
        var failed = await Batches.ListFailedAsync(Merchant.Id, batch.BatchId, CancellationToken.None).ToListAsync();
        failed.Single().Line.ShouldBe(2);
        failed.Single().Errors.Single().Code.ShouldBe("delivery_failed");
    }

    [Fact]
    public async Task A_read_counts_settled_chunks_from_their_record_and_queries_only_the_chunks_after_them()
    {
        // 4,500 records in three chunks, all split: the first and last chunks settled, one delivery of the middle one open.
        var now = DateTimeOffset.UtcNow;
        var batch = new Core.Batches.Batch(Merchant.Id, "b-settled-" + Guid.NewGuid().ToString("N")[..8], "file.csv", BatchStatus.Processing,
            now, now.AddMinutes(30), now) { TotalRecords = 4_500, NextChunk = 3, Split = true };
        await Batches.AddAsync(batch, CancellationToken.None);
        async Task WriteTallyAsync(int chunk, ChunkTally tally) =>
            (await Batches.TryWriteLinesAsync(Merchant.Id, batch.BatchId, chunk, await Batches.ReadTallyAsync(Merchant.Id, batch.BatchId, chunk, CancellationToken.None),
                tally, [], [], CancellationToken.None)).ShouldNotBeNull();
        await WriteTallyAsync(0, new ChunkTally(2_000, 1_990, 10, 1_990, 0));
        await WriteTallyAsync(1, new ChunkTally(2_000, 2_000, 0, 1_999, 0));
        await WriteTallyAsync(2, new ChunkTally(500, 500, 0, 500, 0));

        var first = (await ReadAsync(batch.BatchId))!;

        first.Counts.ShouldBe(new BatchCounts(4_500, 1, 4_489, 10, 0));
        first.Batch.Status.ShouldBe(BatchStatus.Processing);
        (await Batches.ReadSettledAsync(Merchant.Id, batch.BatchId, CancellationToken.None)).Value
            .ShouldBe(new SettledChunks(1, new ChunkTally(2_000, 1_990, 10, 1_990, 0)), "only the leading settled chunk is recorded");

        // The first chunk's rows are no longer read: a change to them would not show. The middle chunk's last delivery does.
        await WriteTallyAsync(0, ChunkTally.Empty);
        await Batches.RecordOutcomeAsync(Merchant.Id, batch.BatchId,
            new BatchLineOutcome(2_005, false, [new FieldError("delivery", "delivery_failed", "No channel could deliver the link.")]), CancellationToken.None);

        var last = (await ReadAsync(batch.BatchId))!;

        last.Counts.ShouldBe(new BatchCounts(4_500, 0, 4_489, 11, 0));
        last.Batch.Status.ShouldBe(BatchStatus.CompletedWithErrors);
        (await Batches.ReadSettledAsync(Merchant.Id, batch.BatchId, CancellationToken.None)).Value.Chunks.ShouldBe(3);
    }
}
