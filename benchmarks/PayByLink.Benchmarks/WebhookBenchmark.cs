using System.Diagnostics;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Events;
using PayByLink.Core.Webhooks;
using PayByLink.Local;

namespace PayByLink.Benchmarks;

/// <summary>
/// What events cost and how fast webhooks go: storage requests per create for a merchant without webhook endpoints
/// and for one with an endpoint; then the created events delivered to an instant receiver on 127.0.0.1 by the
/// runtime's webhook worker, timed, beside the raw Azurite rate of receiving and deleting as many queue messages,
/// measured in the same run on the same Azurite.
/// </summary>
public static class WebhookBenchmark
{
    public static async Task RunAsync(int count)
    {
        var data = Path.Combine(Path.GetTempPath(), "paybylink-hooks-" + Guid.NewGuid().ToString("N"));
        await using var azurite = await Azurite.StartPrivateAsync(data, inMemory: true, CancellationToken.None);
        await using var receiver = await Receiver.StartAsync();
        var creates = new StorageRequestCounter();
        await using var runtime = await LocalRuntime.CreateAsync(
            ["--urls", $"http://127.0.0.1:{Azurite.FreePort()}", $"--PayByLinkStorage={azurite.ConnectionString}", "--Logging:LogLevel:Default=Warning",
             "--Local:Senders=false", "--Local:Schedule=false", "--Local:Webhooks=false", "--Local:Batches=false", "--Local:Carrier=false", "--Telemetry:Console=false"],
            services => services.AddSingleton(StorageClients.FromConnectionString(azurite.ConnectionString, creates)));
        var admin = runtime.Services.GetRequiredService<MerchantAdministration>();
        var create = runtime.Services.GetRequiredService<CreatePaymentRequest>();
        var quiet = await admin.AddMerchantAsync(new Merchant("bench-no-hooks", "Bench", "GBP", 1000m, OwnLimits: BenchmarkLimits.Highest), CancellationToken.None);
        var hooked = await admin.AddMerchantAsync(new Merchant("bench-hooks", "Bench", "GBP", 1000m, OwnLimits: BenchmarkLimits.Highest), CancellationToken.None);
        var (endpoint, errors) = await runtime.Services.GetRequiredService<WebhookEndpoints>()
            .AddAsync(hooked.Id, new NewWebhookEndpoint(receiver.Url, [EventTypes.RequestCreated], null), CancellationToken.None);
        if (endpoint is null)
        {
            throw new InvalidOperationException(string.Join("; ", errors.Select(e => e.Message)));
        }

        async Task<double> CreateAllAsync(Merchant merchant, string prefix)
        {
            creates.Reset();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                await create.ExecuteAsync(merchant, new PaymentRequestInput
                {
                    ClientTransactionRef = $"{prefix}-{i}", Amount = 10m, AccountReference = $"A-{i}", Reason = "Invoice",
                    Customer = new CustomerInput { FirstName = $"F{i % 50}", LastName = $"L{i % 97}", Email = $"c{i}@example.com" },
                }, PayByLink.Core.Events.Actor.ApiKey("benchmark"), ct));
            return (double)creates.Count / count;
        }

        await CreateAllAsync(quiet, "WARM");
        var withoutEndpoint = await CreateAllAsync(quiet, "QUIET");
        var withEndpoint = await CreateAllAsync(hooked, "HOOKED");

        // The creates' send messages are not part of this: Azurite's queue service slows with every message it holds.
        foreach (var queue in new[] { StorageNames.SmsQueue, StorageNames.EmailQueue })
        {
            await new QueueClient(azurite.ConnectionString, queue).ClearMessagesAsync();
        }

        // The raw figure: as many queue messages sent, then received 32 at a time and deleted.
        var raw = new QueueClient(azurite.ConnectionString, "raw-webhooks");
        await raw.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await raw.SendMessageAsync($"{{\"i\":{i}}}", ct));
        var watch = Stopwatch.StartNew();
        for (var drained = 0; drained < count;)
        {
            var messages = (await raw.ReceiveMessagesAsync(32)).Value;
            await Task.WhenAll(messages.Select(m => raw.DeleteMessageAsync(m.MessageId, m.PopReceipt)));
            drained += messages.Length;
        }

        var rawRate = count / watch.Elapsed.TotalSeconds;
        await raw.DeleteAsync();

        var deliveries = new StorageRequestCounter();
        await using var worker = await LocalRuntime.CreateAsync(
            ["--urls", $"http://127.0.0.1:{Azurite.FreePort()}", $"--PayByLinkStorage={azurite.ConnectionString}", "--Logging:LogLevel:Default=Warning",
             "--Local:Senders=false", "--Local:Schedule=false", "--Local:Batches=false", "--Local:Carrier=false", "--Telemetry:Console=false"],
            services => services.AddSingleton(StorageClients.FromConnectionString(azurite.ConnectionString, deliveries)));
        deliveries.Reset();
        watch.Restart();
        await worker.App.StartAsync();
        while (receiver.Received < count)
        {
            await Task.Delay(20);
        }

        var rate = count / watch.Elapsed.TotalSeconds;
        var perEvent = string.Join(", ", deliveries.ByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {(double)k.Value / count:F2}"));
        Console.WriteLine($"## Events and webhooks, {count:N0} creates each way, email only");
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| storage requests per create, merchant without webhook endpoints | {withoutEndpoint:F2} |");
        Console.WriteLine($"| storage requests per create, merchant with one endpoint | {withEndpoint:F2} |");
        Console.WriteLine($"| raw Azurite queue receive + delete (messages/s) | {rawRate:F0} |");
        Console.WriteLine($"| webhooks delivered, signed, recorded (events/s) | {rate:F0} |");
        Console.WriteLine($"| ratio | {rate / rawRate:F2} |");
        Console.WriteLine($"| storage requests per webhook delivered | {(double)deliveries.Count / count:F2} ({perEvent}) |");
    }

    /// <summary>An endpoint that answers 200 at once and counts the posts.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _received;

        private Receiver(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public int Received => Volatile.Read(ref _received);

        public static async Task<Receiver> StartAsync()
        {
            var port = Azurite.FreePort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app, $"http://127.0.0.1:{port}/hooks");
            app.MapPost("/hooks", async (HttpRequest request) =>
            {
                await request.Body.CopyToAsync(Stream.Null);
                Interlocked.Increment(ref receiver._received);
                return Results.Ok();
            });
            await app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
