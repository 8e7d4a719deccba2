using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using PayByLink.Local;

namespace PayByLink.Benchmarks;

/// <summary>
/// What the dashboard and a running batch's live refresh cost in storage requests, counted (machine-independent):
/// the stats read for 1, 7 and 30 days (one read a day, whatever is stored), and a large running batch's progress
/// refresh (its row and its snapshot) beside the full read it replaces.
/// </summary>
internal static class OperatorBenchmark
{
    public static async Task RunAsync(LocalRuntime runtime, HttpClient api, HttpClient console, StorageRequestCounter requests, Merchant merchant, int stored)
    {
        Console.WriteLine();
        Console.WriteLine($"## Storage requests per dashboard and batch refresh, {stored:N0} requests stored");
        Console.WriteLine();
        Console.WriteLine("| call | storage requests |");
        Console.WriteLine("|---|---:|");
        foreach (var days in new[] { 1, 7, 30 })
        {
            var from = DateTime.UtcNow.Date.AddDays(1 - days).ToString("yyyy-MM-dd");
            Console.WriteLine($"| GET /api/v1/stats, {days} day{(days == 1 ? "" : "s")} | {await CountAsync(requests, () => GetAsync(api, $"api/v1/stats?from={from}"))} |");
            Console.WriteLine($"| console dashboard, {days} day{(days == 1 ? "" : "s")} (session and membership reads included) | " +
                $"{await CountAsync(requests, () => GetAsync(console, $"console/dashboard?days={days}"))} |");
        }

        // A running batch of 100,000 lines, 200 chunks started, with its last completion check's snapshot.
        var services = runtime.Services;
        var now = DateTimeOffset.UtcNow;
        var batch = new Batch(merchant.Id, $"b_bench{stored}", "bench.csv", BatchStatus.Processing, now, now, now)
        {
            Header = BatchFile.Columns, TotalRecords = 100_000, Dispatched = true, Snapshot = "bench",
        };
        await services.GetRequiredService<IBatchStore>().AddAsync(batch, CancellationToken.None);
        var ledger = services.GetRequiredService<IBatchLedger>();
        await ledger.MarkChunkStartedAsync(merchant.Id, batch.BatchId, 199, CancellationToken.None);
        await ledger.SaveSnapshotAsync(merchant.Id, batch.BatchId,
            new BatchSnapshot(new BatchCounts(100_000, 20_000, 50_000, 1_000, 29_000), FunnelTally.Empty, now), CancellationToken.None);
        var read = services.GetRequiredService<ReadBatch>();
        Console.WriteLine($"| a running batch's live refresh (its row and its snapshot) | {await CountAsync(requests, () => read.LiveAsync(merchant.Id, batch.BatchId, CancellationToken.None))} |");
        Console.WriteLine($"| the same batch read in full (its row, progress, 200 chunk tallies, 8 funnel shares) | {await CountAsync(requests, () => read.ExecuteAsync(merchant.Id, batch.BatchId, CancellationToken.None))} |");
        var progress = await CountAsync(requests, () => GetAsync(console, $"console/batches/{batch.BatchId}/progress"));
        var kinds = string.Join(", ", requests.ByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"));
        Console.WriteLine($"| console batch progress, the console's per-request checks included ({kinds}) | {progress} |");
    }

    private static async Task<long> CountAsync(StorageRequestCounter requests, Func<Task> call)
    {
        await call(); // warm: a merchant's settings and a session's keys are cached after a first read
        requests.Reset();
        await call();
        return requests.Count;
    }

    private static async Task GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}.");
        }
    }
}
