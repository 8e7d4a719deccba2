using System.Diagnostics;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters.Storage;
using PayByLink.Benchmarks;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Http;
using PayByLink.Local;

// API latency beside the raw Azurite figures measured in the same run, against the same Azurite:
//   create p50/p99 at concurrency 16   vs  a single-entity upsert at concurrency 16
//   list p50/p99 per filter, N stored   vs  a raw range query returning the same page from the same table
//   console pages (list, request, progress), N stored   vs  the API call that serves their data
// Usage: dotnet run -c Release --project benchmarks/PayByLink.Benchmarks [-- --stored 100000 --creates 2000 --lists 200]
//        dotnet run -c Release --project benchmarks/PayByLink.Benchmarks -- --console 1 [--stored 100000 --lists 200]
//   storage requests of the dashboard (1, 7, 30 days) and of a running batch's live refresh, at 1,000 and at N stored
//        dotnet run -c Release --project benchmarks/PayByLink.Benchmarks -- --sends 5000
//        dotnet run -c Release --project benchmarks/PayByLink.Benchmarks -- --batch 100000 [--chunk-workers 4]
//        dotnet run -c Release --project benchmarks/PayByLink.Benchmarks -- --webhooks 2000
if (Option("--webhooks", 0) is > 0 and var webhooks)
{
    await WebhookBenchmark.RunAsync(webhooks);
    return;
}

if (Option("--sends", 0) is > 0 and var sends)
{
    await SendBenchmark.RunAsync(sends);
    return;
}

if (Option("--batch", 0) is > 0 and var batchRecords)
{
    await BatchBenchmark.RunAsync(batchRecords, Option("--chunk-workers", 1));
    return;
}

var stored = Option("--stored", 100_000);
// --console 1: only the console's pages beside the API, with the same requests stored (no create or list sections).
var consoleOnly = Option("--console", 0) == 1;
var creates = Option("--creates", 2_000);
var lists = Option("--lists", 200);
const int concurrency = 16;
const int pageSize = 25;

var data = Path.Combine(Path.GetTempPath(), "paybylink-bench-" + Guid.NewGuid().ToString("N"));
// In memory: a disk-backed Azurite saves its tables as one JSON string, which breaks past a few hundred MB.
await using var azurite = await Azurite.StartPrivateAsync(data, inMemory: true, CancellationToken.None);
// Only the API runs (no senders, batch, webhook or carrier workers), so the counter counts what creates cost.
var requests = new StorageRequestCounter();
await using var runtime = await LocalRuntime.CreateAsync(
    ["--urls", $"http://127.0.0.1:{Azurite.FreePort()}", $"--PayByLinkStorage={azurite.ConnectionString}", "--Logging:LogLevel:Default=Warning",
     "--Local:Senders=false", "--Local:Schedule=false", "--Local:Carrier=false", "--Local:Webhooks=false", "--Local:Batches=false",
     "--Telemetry:Console=false"],
    services => services.AddSingleton(StorageClients.FromConnectionString(azurite.ConnectionString, requests)));
await runtime.App.StartAsync();
var services = runtime.Services;
var storage = services.GetRequiredService<StorageClients>();
var admin = services.GetRequiredService<MerchantAdministration>();

Console.WriteLine($"# PayByLink API benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, Azurite {Azurite.Version}");
Console.WriteLine();

if (consoleOnly)
{
    var consoleMerchant = await admin.AddMerchantAsync(new Merchant("bench-console", "Bench Console", "GBP", 1_000_000m, OwnLimits: BenchmarkLimits.Highest), CancellationToken.None);
    var (consoleKey, _) = await admin.IssueKeyAsync(consoleMerchant.Id, CancellationToken.None);
    using var consoleApi = new HttpClient { BaseAddress = new Uri(runtime.BaseUrl + "/") };
    consoleApi.DefaultRequestHeaders.Add(MerchantAuthentication.KeyHeader, consoleKey);
    using var operatorConsole = await ConsoleBenchmark.SignInAsync(runtime, consoleMerchant, "bench-operator@example.com", "admin");
    var seeding = Stopwatch.StartNew();
    await SeedAsync(storage, services.GetRequiredService<StoredDocuments>(), consoleMerchant, Math.Min(1_000, stored));
    await OperatorBenchmark.RunAsync(runtime, consoleApi, operatorConsole, requests, consoleMerchant, Math.Min(1_000, stored));
    await SeedAsync(storage, services.GetRequiredService<StoredDocuments>(), consoleMerchant, stored, from: Math.Min(1_000, stored));
    Console.Error.WriteLine($"Seeded {stored} requests in {seeding.Elapsed.TotalSeconds:F0} s");
    await OperatorBenchmark.RunAsync(runtime, consoleApi, operatorConsole, requests, consoleMerchant, stored);
    await ConsoleBenchmark.RunAsync(runtime, consoleApi, consoleMerchant, stored, lists);
    return;
}

// Create latency beside a raw single-entity upsert, both at concurrency 16.
var writer = await admin.AddMerchantAsync(new Merchant("bench-create", "Bench Create", "GBP", 1_000_000m, OwnLimits: BenchmarkLimits.Highest), CancellationToken.None);
var (writerKey, _) = await admin.IssueKeyAsync(writer.Id, CancellationToken.None);
using var http = new HttpClient { BaseAddress = new Uri(runtime.BaseUrl + "/") };
http.DefaultRequestHeaders.Add(MerchantAuthentication.KeyHeader, writerKey);
await storage.Tables.CreateTableIfNotExistsAsync("RawUpserts");
var raw = storage.Table("RawUpserts");
await Latency.MeasureAsync(200, concurrency, i => raw.UpsertEntityAsync(new TableEntity("warm", $"w{i}") { ["Value"] = i }));
await Latency.MeasureAsync(200, concurrency, i => http.PostAsJsonAsync("api/v1/payment-requests", CreateBody($"WARM-{i}", i)));

var rawUpsert = await Latency.MeasureAsync(creates, concurrency, i =>
    raw.UpsertEntityAsync(new TableEntity("bench", $"r{i:D8}") { ["Amount"] = "120.5", ["Name"] = "Jane Smith" }));
async Task Create(string reference, int i)
{
    using var response = await http.PostAsJsonAsync("api/v1/payment-requests", CreateBody(reference, i));
    if ((int)response.StatusCode != 201)
    {
        throw new InvalidOperationException($"Create answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

requests.Reset();
var create = await Latency.MeasureAsync(creates, concurrency, i => Create($"BENCH-{i}", i));
var requestsPerCreate = (double)requests.Count / creates;
var requestKinds = string.Join(", ", requests.ByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {(double)k.Value / creates:F2}"));
var rawUpsertAlone = await Latency.MeasureAsync(creates / 4, 1, i =>
    raw.UpsertEntityAsync(new TableEntity("alone", $"r{i:D8}") { ["Amount"] = "120.5", ["Name"] = "Jane Smith" }));
var createAlone = await Latency.MeasureAsync(creates / 4, 1, i => Create($"ALONE-{i}", i));

Console.WriteLine("## Create (POST /api/v1/payment-requests), concurrency 16");
Console.WriteLine();
Console.WriteLine("| operation | p50 ms | p99 ms | per second |");
Console.WriteLine("|---|---:|---:|---:|");
Console.WriteLine($"| raw Azurite single-entity upsert | {rawUpsert.P50:F1} | {rawUpsert.P99:F1} | {rawUpsert.PerSecond:F0} |");
Console.WriteLine($"| create over HTTP | {create.P50:F1} | {create.P99:F1} | {create.PerSecond:F0} |");
Console.WriteLine($"| ratio (target p99 ≤ 3×) | {create.P50 / rawUpsert.P50:F2}× | {create.P99 / rawUpsert.P99:F2}× | |");
Console.WriteLine($"| raw upsert, one caller | {rawUpsertAlone.P50:F1} | {rawUpsertAlone.P99:F1} | {rawUpsertAlone.PerSecond:F0} |");
Console.WriteLine($"| create over HTTP, one caller | {createAlone.P50:F1} | {createAlone.P99:F1} | {createAlone.PerSecond:F0} |");
Console.WriteLine();
Console.WriteLine($"storage requests per create: {requestsPerCreate:F1} ({requestKinds})");
Console.WriteLine();

// List latency with `stored` requests in one merchant's partition.
var lister = await admin.AddMerchantAsync(new Merchant("bench-list", "Bench List", "GBP", 1_000_000m, OwnLimits: BenchmarkLimits.Highest), CancellationToken.None);
var (listerKey, _) = await admin.IssueKeyAsync(lister.Id, CancellationToken.None);
http.DefaultRequestHeaders.Remove(MerchantAuthentication.KeyHeader);
http.DefaultRequestHeaders.Add(MerchantAuthentication.KeyHeader, listerKey);
var seedWatch = Stopwatch.StartNew();
var windowStart = await SeedAsync(storage, services.GetRequiredService<StoredDocuments>(), lister, stored);
Console.Error.WriteLine($"Seeded {stored} requests in {seedWatch.Elapsed.TotalSeconds:F0} s");

var table = storage.Table(StorageNames.PaymentRequestIndexTable);
var windowFrom = windowStart.AddDays(-3).Date.AddHours(10);
var windowTo = windowFrom.AddHours(1);

// The raw query is the very index query a list call makes, sent straight to the table.
PaymentRequestListQuery Raw(PaymentRequestFilter filter) => PaymentRequestListQuery.For(lister.Id, filter);
var filters = new (string Name, string Query, PaymentRequestListQuery? RawQuery)[]
{
    ("customerName", "customerName=smith", Raw(new PaymentRequestFilter { CustomerName = "smith" })),
    ("amount", "amount=42.5", Raw(new PaymentRequestFilter { Amount = 42.5m })),
    ("accountReference", "accountReference=ACC-00042", Raw(new PaymentRequestFilter { AccountReference = "ACC-00042" })),
    ("clientTransactionRef", "clientTransactionRef=LIST-42", null),
    ("mobileNumber", "mobileNumber=%2B447700900042", Raw(new PaymentRequestFilter { MobileNumber = "+447700900042" })),
    ("status", "status=Pending", Raw(new PaymentRequestFilter { Status = PaymentRequestStatus.Pending })),
    ("createdFrom/To", $"createdFrom={Uri.EscapeDataString(windowFrom.ToString("O"))}&createdTo={Uri.EscapeDataString(windowTo.ToString("O"))}",
        Raw(new PaymentRequestFilter { CreatedFrom = windowFrom, CreatedTo = windowTo })),
};
var columns = PaymentRequestIndexRows.Columns;

Console.WriteLine($"## List (GET /api/v1/payment-requests), {stored:N0} requests stored, page size {pageSize}, one caller");
Console.WriteLine();
Console.WriteLine("| filter | rows on page | raw range query p50 / p99 ms | list over HTTP p50 / p99 ms | p99 ratio (target ≤ 2×) |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var (name, query, rawQuery) in filters)
{
    var rows = 0;
    async Task RawQuery(int _)
    {
        if (rawQuery is null)
        {
            // A reference is a point read of its claim, then of the request.
            var claim = await storage.Table(StorageNames.PaymentRequestClaimsTable).GetEntityAsync<TableEntity>($"{lister.Id}|ref|LIST-42", "ref");
            await storage.Table(StorageNames.PaymentRequestsTable).GetEntityAsync<TableEntity>($"{lister.Id}|{claim.Value.GetString("RequestId")}", "request");
            rows = 1;
            return;
        }

        await foreach (var page in storage.Table(rawQuery.Table).QueryAsync<TableEntity>(rawQuery.Filter, pageSize, columns).AsPages(null, pageSize))
        {
            rows = page.Values.Count;
            break;
        }
    }

    async Task ApiQuery(int _)
    {
        using var response = await http.GetAsync($"api/v1/payment-requests?{query}&pageSize={pageSize}");
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    await Latency.MeasureAsync(20, 1, RawQuery);
    await Latency.MeasureAsync(20, 1, ApiQuery);
    var rawList = await Latency.MeasureAsync(lists, 1, RawQuery);
    var apiList = await Latency.MeasureAsync(lists, 1, ApiQuery);
    Console.WriteLine($"| {name} | {rows} | {rawList.P50:F1} / {rawList.P99:F1} | {apiList.P50:F1} / {apiList.P99:F1} | {apiList.P99 / rawList.P99:F2}× |");
}

// What the indexes save: the same name filter as a scan of all the merchant's index rows.
var scan = await Latency.MeasureAsync(3, 1, async _ =>
{
    await foreach (var page in table.QueryAsync<TableEntity>(
                       TableClient.CreateQueryFilter($"PartitionKey ge {lister.Id + "|"} and PartitionKey lt {lister.Id + "}"} and LastNameKey eq {"smith"}"),
                       pageSize, columns).AsPages(null, pageSize))
    {
        if (page.Values.Count > 0)
        {
            break;
        }
    }
});
Console.WriteLine();
Console.WriteLine($"For contrast, the customerName filter as a scan of the merchant's rows instead of its index partition: p50 {scan.P50:F0} ms.");

await ConsoleBenchmark.RunAsync(runtime, http, lister, stored, lists);
return;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1]) : fallback;
}

static object CreateBody(string reference, int i) => new
{
    clientTransactionRef = reference,
    amount = 10m + i % 500,
    accountReference = $"ACC-{i % 20_000:D5}",
    reason = "Invoice " + reference,
    customer = new { firstName = $"First{i % 100:D2}", lastName = $"Surname{i % 200:D3}", mobileNumber = $"07700 900{i % 1000:D3}", email = $"customer{i % 1000:D3}@example.com" },
};

// Writes the rows that creating `count` requests writes, grouped into 100-row transactions per partition so
// the seeding takes minutes, not hours. Creation times spread evenly over the last 90 days. Names cycle through
// 100 first names and 200 surnames, amounts through 100 values, accounts through 20,000, mobiles through 1,000;
// all stay Pending.
static async Task<DateTimeOffset> SeedAsync(StorageClients storage, StoredDocuments documents, Merchant merchant, int count, int from = 0)
{
    string[] surnames = ["Smith", .. Enumerable.Range(1, 199).Select(i => $"Surname{i:D3}")];
    string[] firstNames = ["Jane", .. Enumerable.Range(1, 99).Select(i => $"First{i:D2}")];
    var spacing = TimeSpan.FromDays(90) / count;
    var tokens = new RandomTokenSource();
    var start = DateTimeOffset.UtcNow;
    var requestRows = new List<TableEntity>();
    var indexRows = new List<TableEntity>();
    var statusRows = new List<TableEntity>();
    var claimRows = new List<TableEntity>();
    for (var i = from; i < count; i++)
    {
        var created = start - spacing * i;
        var content = new PaymentRequestContent($"LIST-{i}", 10m + i % 100 + 0.5m, "GBP", $"ACC-{i % 20_000:D5}", "Invoice", null,
            new Customer(null, firstNames[i / 7 % firstNames.Length], surnames[i % surnames.Length], $"+447700900{i % 1000:D3}", null), [Channel.Sms],
            created.AddDays(14), null, null, $"fingerprint-{i}");
        var code = tokens.NewShortCode();
        var request = new PaymentRequest(merchant.Id, tokens.NewRequestId(), content, PaymentRequestStatus.Pending,
            code, tokens.NewPaymentToken(code), created, created);
        claimRows.Add(PaymentRequestRows.Claim(request, created, documents));
        requestRows.Add(PaymentRequestRows.Request(request, documents));
        indexRows.AddRange(PaymentRequestIndexRows.Fixed(request));
        statusRows.Add(PaymentRequestIndexRows.Status(request));
    }

    await WriteAsync(storage.Table(StorageNames.PaymentRequestsTable), requestRows);
    await WriteAsync(storage.Table(StorageNames.PaymentRequestIndexTable), indexRows);
    await WriteAsync(storage.Table(StorageNames.PaymentRequestStatusTable), statusRows);
    await WriteAsync(storage.Table(StorageNames.PaymentRequestClaimsTable), claimRows);
    return start;

    static async Task WriteAsync(TableClient table, List<TableEntity> rows)
    {
        var batches = new System.Collections.Concurrent.ConcurrentQueue<TableEntity[]>(
            rows.GroupBy(r => r.PartitionKey).SelectMany(g => g.Chunk(100)));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (batches.TryDequeue(out var batch))
            {
                await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)));
            }
        }));
    }
}
