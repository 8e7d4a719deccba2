using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Batches;
using PayByLink.Core.Delivery;
using PayByLink.Core.Events;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Batches;

/// <summary>
/// Stopping a batch while it sends, on a private Azurite with the local senders at 10 texts a second: what was sent
/// stays sent, nothing more goes, and every other line is cancelled and counted.
/// </summary>
public sealed class BatchStopTests : IAsyncLifetime
{
    private readonly RecordingProvider _provider = new();
    private PrivateServices _private = null!;

    public async Task InitializeAsync() => _private = await PrivateServices.StartAsync("stop-batch-merchant",
        s => s.AddSingleton<ISmsSender>(_provider).AddSingleton<IEmailSender>(_provider),
        new Dictionary<string, string?> { ["Delivery:SmsPerMinute"] = "600" });

    public async Task DisposeAsync() => await _private.DisposeAsync();

    [Fact]
    public async Task A_batch_stopped_mid_send_sends_no_more_and_counts_every_line_not_sent_as_cancelled()
    {
        var services = _private.Services;
        const int total = 600; // two chunks: the first made and sending, the second not yet read when the batch stops
        var (batch, functions, chunks) = await _private.DispatchBatchAsync(BatchFiles.Csv([BatchFiles.Header, .. Enumerable.Range(0, total).Select(_ => BatchFiles.Line())]));
        chunks.Count.ShouldBe(2);
        await functions.OnChunk(chunks[0], CancellationToken.None);

        var workers = StorageNames.SendQueues.Select(q => (IHostedService)ActivatorUtilities.CreateInstance<SendQueueWorker>(services, q)).ToList();
        foreach (var worker in workers)
        {
            await worker.StartAsync(CancellationToken.None);
        }

        BatchState state;
        try
        {
            await Until(() => _provider.Sent.Count >= 5);
            var actor = Actor.User("operator@example.com", "Olive Operator");
            (await services.GetRequiredService<StopBatch>().ExecuteAsync(_private.Merchant.Id, batch.BatchId, actor, CancellationToken.None))
                .Outcome.ShouldBe(StopOutcome.Stopping);
            await functions.OnChunk(chunks[1], CancellationToken.None);

            var read = services.GetRequiredService<ReadBatch>();
            state = null!;
            await Until(async () => (state = (await read.ExecuteAsync(_private.Merchant.Id, batch.BatchId, CancellationToken.None))!).Batch.IsFinished);
            var sentAtEnd = _provider.Sent.Count;
            await Task.Delay(BatchStops.ReadAgainAfter); // long enough for any sender that had not yet seen the stop
            _provider.Sent.Count.ShouldBe(sentAtEnd, "nothing is sent once the batch is finished");
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.StopAsync(CancellationToken.None);
            }
        }

        var sent = _provider.Sent.Count;
        sent.ShouldBeLessThan(60, "sending stopped within a couple of seconds at 10 a second");
        state.Batch.Status.ShouldBe(BatchStatus.CompletedWithErrors);
        state.Batch.StoppedBy.ShouldBe(Actor.User("operator@example.com", "Olive Operator"));
        (state.Counts.TotalRecords, state.Counts.Sent, state.Counts.Failed, state.Counts.Pending).ShouldBe((total, sent, total - sent, 0));
        state.Batch.CancelledLines.ShouldBe(total - sent);
        var failed = await services.GetRequiredService<IBatchLedger>().ListFailedAsync(_private.Merchant.Id, batch.BatchId, CancellationToken.None).ToListAsync();
        var neverMade = failed.Count(f => f.Errors.Any(e => e.Code == "batch_stopped"));
        neverMade.ShouldBeOneOf([100, 500], "the chunk read after the stop (the 500 or the 100) was never made");
        failed.Count(f => f.Errors.Any(e => e.Code == "cancelled")).ShouldBe(total - sent - neverMade, "the other chunk's unsent requests were cancelled");
    }

    private static async Task Until(Func<bool> condition) => await Until(() => Task.FromResult(condition()));

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline);
            await Task.Delay(100);
        }
    }
}
