using System.Diagnostics;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Local;

namespace PayByLink.Benchmarks;

/// <summary>
/// Sends per second through the local runtime's senders with an instant provider, beside the raw Azurite rate of
/// receiving and deleting the same number of queue messages, measured in the same run.
/// </summary>
/// <remarks>Each figure is measured on its own fresh Azurite, started the same way, after a warm-up round.</remarks>
public static class SendBenchmark
{
    public const int Rounds = 3;

    public static async Task RunAsync(int count)
    {
        // A first round warms the process (JIT, connection pools), so the measured rounds time storage and the
        // senders, not the compiler; each figure is then measured three times, alternately, on fresh Azurites.
        await RawRateAsync(Math.Min(count, 500));
        await SendsAsync(Math.Min(count, 500), new StorageRequestCounter());
        var rounds = new List<(Measured Raw, Measured Sends, StorageRequestCounter Requests)>();
        for (var round = 0; round < Rounds; round++)
        {
            var counter = new StorageRequestCounter();
            rounds.Add((await RawRateAsync(count), await SendsAsync(count, counter), counter));
        }

        var (lastRaw, lastSends, requests) = rounds[^1];
        var perSend = string.Join(", ", requests.ByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {(double)k.Value / count:F2}"));
        Console.WriteLine($"## Sends through the local runtime, {count:N0} emails queued, instant provider");
        Console.WriteLine();
        Console.WriteLine("| round | raw Azurite queue receive + delete (per s) | sends delivered and recorded (per s) | ratio (target ≥ 0.5) |");
        Console.WriteLine("|---:|---:|---:|---:|");
        for (var round = 0; round < rounds.Count; round++)
        {
            var (raw, sent, _) = rounds[round];
            Console.WriteLine($"| {round + 1} | {raw.PerSecond:F0} | {sent.PerSecond:F0} | {sent.PerSecond / raw.PerSecond:F2} |");
        }

        var median = rounds.Select(r => r.Sends.PerSecond / r.Raw.PerSecond).Order().ElementAt(rounds.Count / 2);
        Console.WriteLine();
        Console.WriteLine($"Median ratio {median:F2}. Storage requests per send (last round): {(double)requests.Count / count:F2} ({perSend}).");
        Console.WriteLine();
        Console.WriteLine($"Processor time per message, last round. Raw: {lastRaw.Processor}. Sends: {lastSends.Processor}.");
    }

    /// <summary>
    /// On a fresh Azurite: requests created through the runtime with their sends queued, then the senders started
    /// and timed until every send is delivered, recorded and its message deleted; <paramref name="requests"/> counts the senders' storage requests.
    /// </summary>
    private static async Task<Measured> SendsAsync(int count, StorageRequestCounter requests)
    {
        var data = Path.Combine(Path.GetTempPath(), "paybylink-sends-" + Guid.NewGuid().ToString("N"));
        await using var azurite = await Azurite.StartPrivateAsync(data, inMemory: true, CancellationToken.None);
        var provider = new InstantProvider();
        await using var runtime = await LocalRuntime.CreateAsync(
            ["--urls", $"http://127.0.0.1:{Azurite.FreePort()}", $"--PayByLinkStorage={azurite.ConnectionString}",
             "--Logging:LogLevel:Default=Warning", "--Local:Senders=false", "--Local:Schedule=false", "--Telemetry:Console=false"]);
        var merchant = await runtime.Services.GetRequiredService<MerchantAdministration>()
            .AddMerchantAsync(new Merchant("bench-sends", "Bench Sends", "GBP", 1000m, OwnLimits: BenchmarkLimits.Highest), CancellationToken.None);
        var create = runtime.Services.GetRequiredService<PayByLink.Core.PaymentRequests.CreatePaymentRequest>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await create.ExecuteAsync(merchant, new PayByLink.Core.PaymentRequests.PaymentRequestInput
            {
                ClientTransactionRef = $"SEND-{i}", Amount = 10m, AccountReference = $"A-{i}", Reason = "Invoice",
                Customer = new PayByLink.Core.PaymentRequests.CustomerInput { FirstName = $"F{i % 50}", LastName = $"L{i % 97}", Email = $"c{i}@example.com" },
            }, PayByLink.Core.Events.Actor.ApiKey("benchmark"), ct));

        await using var senders = await LocalRuntime.CreateAsync(
            ["--urls", $"http://127.0.0.1:{Azurite.FreePort()}", $"--PayByLinkStorage={azurite.ConnectionString}",
             "--Logging:LogLevel:Default=Warning", "--Local:Schedule=false", "--Local:Carrier=false", "--Telemetry:Console=false"],
            services =>
            {
                services.AddSingleton<ISmsSender>(provider);
                services.AddSingleton<IEmailSender>(provider);
                services.AddSingleton(StorageClients.FromConnectionString(azurite.ConnectionString, requests));
            });
        requests.Reset();
        var processor = ProcessorMeter.Start(azurite);
        var watch = Stopwatch.StartNew();
        await senders.App.StartAsync();
        // Done when every send has been made, recorded, and its message taken off the queue.
        while (provider.Sent < count || requests.MessagesDeleted < count)
        {
            await Task.Delay(20);
        }

        return new Measured(count / watch.Elapsed.TotalSeconds, processor.Stop(count));
    }

    /// <summary>The same number of messages sent, then received 32 at a time and deleted, on a fresh Azurite.</summary>
    private static async Task<Measured> RawRateAsync(int count)
    {
        var data = Path.Combine(Path.GetTempPath(), "paybylink-raw-sends-" + Guid.NewGuid().ToString("N"));
        await using var azurite = await Azurite.StartPrivateAsync(data, inMemory: true, CancellationToken.None);
        var raw = new QueueClient(azurite.ConnectionString, "raw-benchmark");
        await raw.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await raw.SendMessageAsync($"{{\"i\":{i}}}", ct));
        var processor = ProcessorMeter.Start(azurite);
        var watch = Stopwatch.StartNew();
        var drained = 0;
        while (drained < count)
        {
            var messages = (await raw.ReceiveMessagesAsync(32)).Value;
            await Task.WhenAll(messages.Select(m => raw.DeleteMessageAsync(m.MessageId, m.PopReceipt)));
            drained += messages.Length;
        }

        return new Measured(count / watch.Elapsed.TotalSeconds, processor.Stop(count));
    }

    private sealed record Measured(double PerSecond, ProcessorUse Processor);

    internal sealed class InstantProvider : ISmsSender, IEmailSender
    {
        private int _sent;

        public int Sent => _sent;

        public string From => "+447700900000";

        public Task<SendOutcome> SendAsync(SmsToSend sms, CancellationToken cancellationToken) => Send(sms.SendId);

        public Task<SendOutcome> SendAsync(EmailToSend email, CancellationToken cancellationToken) => Send(email.SendId);

        private Task<SendOutcome> Send(string sendId)
        {
            Interlocked.Increment(ref _sent);
            return Task.FromResult(SendOutcome.Sent("instant-" + sendId));
        }
    }
}
