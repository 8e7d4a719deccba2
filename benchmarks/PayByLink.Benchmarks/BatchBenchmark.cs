using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Http;
using PayByLink.Local;

namespace PayByLink.Benchmarks;

/// <summary>
/// Records per second from upload to Completed through the local runtime (instant provider, SMS only), and the
/// process's peak memory, beside the raw Azurite rates measured in the same run against the same Azurite:
/// 100-entity transactions into one partition, single-entity upserts at concurrency 48 (the kind of write a
/// create makes), and queue sends; and the upserts again once the batch is done, into the table the run wrote most
/// rows to, because Azurite's writes slow down as its tables grow.
/// </summary>
public static class BatchBenchmark
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(int records, int chunkWorkers)
    {
        var file = Path.Combine(Path.GetTempPath(), $"paybylink-batch-{records}-{Guid.NewGuid():N}.csv");
        await WriteFileAsync(file, records);
        var data = Path.Combine(Path.GetTempPath(), "paybylink-batch-" + Guid.NewGuid().ToString("N"));
        await using var azurite = await Azurite.StartPrivateAsync(data, inMemory: true, CancellationToken.None);
        var provider = new SendBenchmark.InstantProvider();
        var requests = new StorageRequestCounter();
        await using var runtime = await LocalRuntime.CreateAsync(
            ["--urls", $"http://127.0.0.1:{Azurite.FreePort()}", $"--PayByLinkStorage={azurite.ConnectionString}",
             "--Logging:LogLevel:Default=Warning", "--Local:Schedule=false", "--Local:Carrier=false", "--Telemetry:Console=false",
             $"--Local:ChunkWorkers={chunkWorkers}"],
            services =>
            {
                services.AddSingleton<ISmsSender>(provider);
                services.AddSingleton<IEmailSender>(provider);
                services.AddSingleton(StorageClients.FromConnectionString(azurite.ConnectionString, requests));
            });
        var storage = runtime.Services.GetRequiredService<StorageClients>();

        // A first, shorter pass warms this process (JIT, connections), so the raw figures time Azurite.
        await RawRatesAsync(storage, 500);
        var raw = await RawRatesAsync(storage, Math.Min(records, 20_000));

        await runtime.App.StartAsync();
        var admin = runtime.Services.GetRequiredService<MerchantAdministration>();
        var merchant = await admin.AddMerchantAsync(new Merchant("bench-batch", "Bench Batch", "GBP", 1000m, OwnLimits: BenchmarkLimits.Highest), CancellationToken.None);
        var (key, _) = await admin.IssueKeyAsync(merchant.Id, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(runtime.BaseUrl + "/"), Timeout = TimeSpan.FromMinutes(30) };
        http.DefaultRequestHeaders.Add(MerchantAuthentication.KeyHeader, key);
        var started = await (await http.PostAsJsonAsync("api/v1/batches", new { fileName = "bench.csv" })).Content.ReadFromJsonAsync<JsonElement>();
        var batchId = started.GetProperty("batchId").GetString();

        var processor = ProcessorMeter.Start(azurite);
        var watch = Stopwatch.StartNew();
        requests.Reset();
        await using (var upload = File.OpenRead(file))
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, started.GetProperty("uploadUrl").GetString()) { Content = new StreamContent(upload) };
            put.Headers.Add("x-ms-blob-type", "BlockBlob");
            put.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            (await http.SendAsync(put)).EnsureSuccessStatusCode();
        }

        var uploaded = watch.Elapsed;
        JsonElement batch;
        var reported = TimeSpan.Zero;
        while (true)
        {
            await Task.Delay(PollEvery);
            if (watch.Elapsed - reported > TimeSpan.FromMinutes(1))
            {
                reported = watch.Elapsed;
                Console.Error.WriteLine($"{watch.Elapsed:hh\\:mm\\:ss} sent {provider.Sent:N0} of {records:N0}, working set {Process.GetCurrentProcess().WorkingSet64 / 1048576} MB");
            }

            // Read like a merchant polling: each read queries only the chunks not yet settled.
            batch = await http.GetFromJsonAsync<JsonElement>($"api/v1/batches/{batchId}");
            if (batch.GetProperty("status").GetString() is not ("AwaitingUpload" or "Uploaded" or "Processing"))
            {
                break;
            }
        }

        var elapsed = watch.Elapsed;
        var used = processor.Stop(records);
        var perRecord = (double)requests.Count / records;

        // Azurite's table writes slow down as its tables grow: the same raw upserts again, now into the table the run
        // wrote most rows to.
        var upsertsAfter = await UpsertRateAsync(storage.Table(StorageNames.PaymentRequestIndexTable), Math.Min(records, 20_000));
        File.Delete(file);
        var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0;
        Console.WriteLine($"## Batch of {records:N0} records, upload to {batch.GetProperty("status").GetString()}, instant provider, SMS only, {chunkWorkers} chunk worker(s)");
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| raw Azurite 100-entity transactions, one partition (entities/s) | {raw.TransactionEntities:F0} |");
        Console.WriteLine($"| raw Azurite single-entity upserts, concurrency 48 (entities/s) | {raw.Upserts:F0} |");
        Console.WriteLine($"| raw Azurite queue sends, concurrency 48 (messages/s) | {raw.QueueSends:F0} |");
        Console.WriteLine($"| storage requests per record, upload to finished (all polling included) | {perRecord:F1} |");
        Console.WriteLine($"| raw rate for the same number of single-entity requests (records/s) | {raw.Upserts / perRecord:F0} |");
        Console.WriteLine($"| upload (s) | {uploaded.TotalSeconds:F1} |");
        Console.WriteLine($"| upload to finished: every record sent or failed (s) | {elapsed.TotalSeconds:F1} |");
        Console.WriteLine($"| records/s, upload to finished | {records / elapsed.TotalSeconds:F0} |");
        Console.WriteLine($"| ratio to the raw rate for the same requests (target ≥ 0.5) | {records / elapsed.TotalSeconds / (raw.Upserts / perRecord):F2} |");
        Console.WriteLine($"| sent / failed | {batch.GetProperty("sent").GetInt32()} / {batch.GetProperty("failed").GetInt32()} |");
        Console.WriteLine($"| peak working set of the runtime process (MB) | {peakMb:F0} |");
        Console.WriteLine($"| raw Azurite single-entity upserts after the run, into its index table (entities/s) | {upsertsAfter:F0} |");
        Console.WriteLine($"| ratio to the raw rate after the run for the same requests | {records / elapsed.TotalSeconds / (upsertsAfter / perRecord):F2} |");
        Console.WriteLine();
        Console.WriteLine("Storage requests per record by kind: " +
                          string.Join(", ", requests.ByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {(double)k.Value / records:F2}")) + ".");
        Console.WriteLine($"Processor time per record, upload to finished: {used}.");
    }

    private static async Task WriteFileAsync(string path, int records)
    {
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        await writer.WriteAsync("ClientTransactionRef,Amount,AccountReference,Reason,FirstName,LastName,MobileNumber\r\n");
        for (var i = 0; i < records; i++)
        {
            await writer.WriteAsync($"BATCH-{i:D7},{10 + i % 500}.{i % 100:D2},ACC-{i % 20_000:D5},Council tax,F{i % 100},L{i % 200},07700 900{i % 1000:D3}\r\n");
        }
    }

    private static async Task<(double TransactionEntities, double Upserts, double QueueSends)> RawRatesAsync(StorageClients storage, int count)
    {
        await storage.Tables.CreateTableIfNotExistsAsync("RawBatch");
        var table = storage.Table("RawBatch");
        var watch = Stopwatch.StartNew();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity($"chunk-{i / 2000}", $"L{i:D7}") { ["Raw"] = "BATCH-0000001,10.01,ACC-00001,Council tax,F1,L1,07700 900001", ["Line"] = i })));
        }

        var transactions = count / watch.Elapsed.TotalSeconds;
        var upserts = await UpsertRateAsync(table, count);
        var queue = storage.Queues.GetQueueClient("raw-batch");
        await queue.CreateIfNotExistsAsync();
        watch.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 48 }, async (i, ct) =>
            await queue.SendMessageAsync($"{{\"i\":{i}}}", ct));
        var sends = count / watch.Elapsed.TotalSeconds;

        // Left behind, the raw messages would slow every queue request of the run measured next.
        await queue.DeleteAsync();
        await storage.Tables.DeleteTableAsync("RawBatch");
        return (transactions, upserts, sends);
    }

    /// <summary>Single-entity upserts at concurrency 48, each into a partition of its own.</summary>
    private static async Task<double> UpsertRateAsync(TableClient table, int count)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 48 }, async (i, ct) =>
            await table.UpsertEntityAsync(new TableEntity($"raw-single-{i}", "row") { ["Value"] = i }, TableUpdateMode.Replace, ct));
        return count / watch.Elapsed.TotalSeconds;
    }
}
