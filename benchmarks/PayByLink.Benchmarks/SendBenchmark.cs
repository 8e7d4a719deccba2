using System.Diagnostics;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Core.Ports;
using PayByLink.Local;

namespace PayByLink.Benchmarks;

/// <summary>
/// Sends per second through the local runtime's senders with an instant provider, beside the raw Azurite rate of
/// receiving and deleting the same number of queue messages, measured in the same run.
/// </summary>
/// <remarks>Each figure is measured on its own fresh Azurite, started the same way.</remarks>
public static class SendBenchmark
{
    public static async Task RunAsync(int count)
    {
        var rawRate = await RawRateAsync(count);
        var data = Path.Combine(Path.GetTempPath(), "paybylink-sends-" + Guid.NewGuid().ToString("N"));
        await using var azurite = await Azurite.StartPrivateAsync(data, inMemory: true, CancellationToken.None);
        var provider = new InstantProvider();
        await using var runtime = await LocalRuntime.CreateAsync(
            ["--urls", $"http://127.0.0.1:{Azurite.FreePort()}", $"--PayByLinkStorage={azurite.ConnectionString}",
             "--Logging:LogLevel:Default=Warning", "--Local:Senders=false", "--Local:Schedule=false", "--Telemetry:Console=false"]);

        // Through the runtime: requests created with their sends queued, then the senders started.
        var merchant = await runtime.Services.GetRequiredService<MerchantAdministration>()
            .AddMerchantAsync(new Merchant("bench-sends", "Bench Sends", "GBP", 1000m), CancellationToken.None);
        var create = runtime.Services.GetRequiredService<PayByLink.Core.PaymentRequests.CreatePaymentRequest>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await create.ExecuteAsync(merchant, new PayByLink.Core.PaymentRequests.PaymentRequestInput
            {
                ClientTransactionRef = $"SEND-{i}", Amount = 10m, AccountReference = $"A-{i}", Reason = "Invoice",
                Customer = new PayByLink.Core.PaymentRequests.CustomerInput { FirstName = $"F{i % 50}", LastName = $"L{i % 97}", Email = $"c{i}@example.com" },
            }, ct));

        var requests = new StorageRequestCounter();
        await using var senders = await LocalRuntime.CreateAsync(
            ["--urls", $"http://127.0.0.1:{Azurite.FreePort()}", $"--PayByLinkStorage={azurite.ConnectionString}",
             "--Logging:LogLevel:Default=Warning", "--Local:Schedule=false", "--Telemetry:Console=false"],
            services =>
            {
                services.AddSingleton<ISmsSender>(provider);
                services.AddSingleton<IEmailSender>(provider);
                services.AddSingleton(StorageClients.FromConnectionString(azurite.ConnectionString, requests));
            });
        requests.Reset();
        var watch = Stopwatch.StartNew();
        await senders.App.StartAsync();
        while (provider.Sent < count)
        {
            await Task.Delay(20);
        }

        var rate = count / watch.Elapsed.TotalSeconds;
        var perSend = string.Join(", ", requests.ByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {(double)k.Value / count:F2}"));
        Console.WriteLine($"## Sends through the local runtime, {count:N0} emails, instant provider");
        Console.WriteLine();
        Console.WriteLine("| operation | per second |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| raw Azurite queue receive + delete | {rawRate:F0} |");
        Console.WriteLine($"| sends delivered and recorded | {rate:F0} |");
        Console.WriteLine($"| ratio (target ≥ 0.5) | {rate / rawRate:F2} |");
        Console.WriteLine();
        Console.WriteLine($"Storage requests per send: {(double)requests.Count / count:F2} ({perSend}).");
    }

    /// <summary>The same number of messages sent, then received 32 at a time and deleted, on a fresh Azurite.</summary>
    private static async Task<double> RawRateAsync(int count)
    {
        var data = Path.Combine(Path.GetTempPath(), "paybylink-raw-sends-" + Guid.NewGuid().ToString("N"));
        await using var azurite = await Azurite.StartPrivateAsync(data, inMemory: true, CancellationToken.None);
        var raw = new QueueClient(azurite.ConnectionString, "raw-benchmark");
        await raw.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await raw.SendMessageAsync($"{{\"i\":{i}}}", ct));
        var watch = Stopwatch.StartNew();
        var drained = 0;
        while (drained < count)
        {
            var messages = (await raw.ReceiveMessagesAsync(32)).Value;
            await Task.WhenAll(messages.Select(m => raw.DeleteMessageAsync(m.MessageId, m.PopReceipt)));
            drained += messages.Length;
        }

        return count / watch.Elapsed.TotalSeconds;
    }

    internal sealed class InstantProvider : ISmsSender, IEmailSender
    {
        private int _sent;

        public int Sent => _sent;

        public Task<SendOutcome> SendAsync(SmsToSend sms, CancellationToken cancellationToken) => Send(sms.SendId);

        public Task<SendOutcome> SendAsync(EmailToSend email, CancellationToken cancellationToken) => Send(email.SendId);

        private Task<SendOutcome> Send(string sendId)
        {
            Interlocked.Increment(ref _sent);
            return Task.FromResult(SendOutcome.Sent("instant-" + sendId));
        }
    }
}
