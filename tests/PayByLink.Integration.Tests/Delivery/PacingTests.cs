using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PayByLink.Adapters.Storage;
using PayByLink.Batch;
using PayByLink.Core.Batches;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Core.PaymentRequests;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Delivery;

/// <summary>
/// Sends paced to the provider's rate, end to end: a merchant's batch file and another merchant's single link on a
/// private Azurite, through the queues and the local senders, at 10 SMS a second.
/// </summary>
public sealed class PacingTests : IAsyncLifetime
{
    private readonly RecordingProvider _provider = new();
    private PrivateServices _private = null!;

    public async Task InitializeAsync() => _private = await PrivateServices.StartAsync("pacing-batch-merchant",
        s => s.AddSingleton<ISmsSender>(_provider).AddSingleton<IEmailSender>(_provider),
        new Dictionary<string, string?> { ["Delivery:SmsPerMinute"] = "600" });

    public async Task DisposeAsync() => await _private.DisposeAsync();

    [Fact]
    public async Task A_merchants_batch_is_sent_at_the_channels_rate_and_another_merchants_single_link_goes_within_a_few_turns()
    {
        var services = _private.Services;
        var (_, functions, chunks) = await _private.DispatchBatchAsync(
            BatchFiles.Csv([BatchFiles.Header, .. Enumerable.Range(0, 60).Select(_ => BatchFiles.Line(mobile: "07700 900111"))]));
        foreach (var chunk in chunks)
        {
            await functions.OnChunk(chunk, CancellationToken.None);
        }

        var other = await services.GetRequiredService<MerchantAdministration>()
            .AddMerchantAsync(new Merchant("pacing-single-merchant", "Other Ltd", "GBP", 1000m), CancellationToken.None);
        var single = await services.GetRequiredService<CreatePaymentRequest>().ExecuteAsync(other,
            Requests.ValidCreate("SINGLE-1", mobile: "07700 900222").Without("customer.email").Deserialize<PaymentRequestInput>(JsonOptions)!, Requests.Caller, CancellationToken.None);
        single.Outcome.ShouldBe(CreateOutcome.Created);

        // The local senders, one per queue, as the runtime runs them.
        var workers = StorageNames.SendQueues.Select(q => (IHostedService)ActivatorUtilities.CreateInstance<SendQueueWorker>(services, q)).ToList();
        foreach (var worker in workers)
        {
            await worker.StartAsync(CancellationToken.None);
        }

        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (_provider.Sent.Count < 61 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.StopAsync(CancellationToken.None);
            }
        }

        var sent = _provider.Sent.OrderBy(s => s.At).ToList();
        sent.Count.ShouldBe(61);
        var position = sent.FindIndex(s => s.To == "+447700900222");
        position.ShouldBeLessThan(5, "the single link waits its merchant's turn, not for the other merchant's file");
        var span = sent[^1].At - sent[0].At;
        span.ShouldBeGreaterThan(TimeSpan.FromSeconds(5.5), "61 sends at 10 a second take at least 6 seconds");
        // Turns are evenly spaced; what each send does after its turn (its claim, its record) varies, so allow a little.
        var busiest = sent.Max(s => sent.Count(o => o.At >= s.At && o.At < s.At + TimeSpan.FromSeconds(2)));
        busiest.ShouldBeLessThanOrEqualTo(23, "at most 20 sends in any two seconds, and a few more for the work after each turn");
    }

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new(System.Text.Json.JsonSerializerDefaults.Web);
}
