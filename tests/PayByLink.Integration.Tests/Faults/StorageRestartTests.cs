using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;
using Xunit.Abstractions;

namespace PayByLink.Integration.Tests.Faults;

/// <summary>Storage stopped and started again under a working runtime, and the runtime stopped as a service manager stops it.</summary>
public sealed class StorageRestartTests(ITestOutputHelper log) : IAsyncDisposable
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "paybylink-restart-" + Guid.NewGuid().ToString("N"));

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Storage_stopped_and_restarted_under_load_loses_nothing_and_makes_nothing_twice()
    {
        const int total = 300;
        await using var azurite = await Azurite.StartPrivateAsync(_dataFolder, inMemory: false, CancellationToken.None);
        await using var runtime = await RuntimeProcess.StartAsync($"--PayByLinkStorage={azurite.ConnectionString}",
            $"--{LocalStorage.DataFolderSetting}={_dataFolder}", "--Local:ScheduleInterval=00:00:05", "--Logging:LogLevel:Default=None",
            RuntimeProcess.LoadRateSetting, RuntimeProcess.LoadBurstSetting,
            // A send whose provider call the outage cut short (the local outbox is on the same storage) waits for its
            // receipt before it goes again: 15 minutes by default, 40 s here, within the 90 s this test allows.
            "--Delivery:ReceiptWait=00:00:40");
        using var client = runtime.Client();
        var answers = new ConcurrentDictionary<HttpStatusCode, int>();
        var created = 0;
        var outage = Task.CompletedTask;
        var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, total).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                // A client that repeats its create after a 503 or a create-in-progress, when Retry-After says.
                for (var attempt = 0; attempt < 20; attempt++)
                {
                    var response = await client.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate($"ST-{i:000}", mobile: $"07700 900{i:000}"));
                    answers.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        if (Interlocked.Increment(ref created) == total / 3)
                        {
                            outage = StopAndRestartAsync(azurite, () => answers.GetValueOrDefault(HttpStatusCode.ServiceUnavailable) >= 8);
                        }

                        return;
                    }

                    response.StatusCode.ShouldBeOneOf(HttpStatusCode.ServiceUnavailable, HttpStatusCode.Conflict);
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                }

                throw new InvalidOperationException($"ST-{i:000} was never created.");
            }
            finally
            {
                gate.Release();
            }
        }));
        await outage;
        var settledFrom = DateTime.UtcNow;

        var references = Enumerable.Range(0, total).Select(i => $"ST-{i:000}").ToList();
        var (lost, twice, pending) = (0, 0, 0);
        do
        {
            var found = await Task.WhenAll(references.Select(r =>
                client.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?clientTransactionRef={r}")));
            var items = found.Select(f => f.GetProperty("items").EnumerateArray().ToList()).ToList();
            (lost, twice, pending) = (items.Count(i => i.Count == 0), items.Count(i => i.Count > 1),
                items.Count(i => i.Count == 1 && i[0].Str("status") == "Pending"));
            if (lost + pending == 0)
            {
                break;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow - settledFrom < TimeSpan.FromSeconds(90));

        log.WriteLine($"{total} creates at concurrency 8 with storage stopped after {total / 3} until 8 were answered 503: answers " +
                      string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{(int)a.Key} × {a.Value}")) +
                      $"; {lost} lost, {twice} made twice, {pending} pending {(DateTime.UtcNow - settledFrom).TotalSeconds:0} s later.");
        answers.Keys.ShouldContain(HttpStatusCode.ServiceUnavailable, "the outage came after every create was answered");
        (lost, twice, pending).ShouldBe((0, 0, 0));
    }

    /// <summary>Stops storage until the clients have been told it is unavailable often enough (or 20 s have passed), then starts it again.</summary>
    private static async Task StopAndRestartAsync(Azurite azurite, Func<bool> outageSeen)
    {
        await azurite.StopAsync();
        for (var deadline = DateTime.UtcNow.AddSeconds(20); !outageSeen() && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100);
        }

        await azurite.RestartAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Creates_answered_before_a_sigterm_are_there_after_a_restart()
    {
        var references = Enumerable.Range(0, 100).Select(i => $"TERM-{i:000}").ToList();
        await using (var runtime = await RuntimeProcess.StartAsync($"--{LocalStorage.DataFolderSetting}={_dataFolder}", "--Local:Senders=false",
            RuntimeProcess.LoadRateSetting, RuntimeProcess.LoadBurstSetting))
        {
            using var client = runtime.Client();
            foreach (var reference in references)
            {
                (await client.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate(reference))).StatusCode.ShouldBe(HttpStatusCode.Created);
            }

            await runtime.StopAsync("TERM"); // at once: Azurite keeps tables in memory and saves only when stopped properly
            runtime.Output.ShouldContain("Stopping Azurite: it saves its data");
            runtime.Output.ShouldContain("PayByLink stopped.");
        }

        await using var restarted = await RuntimeProcess.StartAsync($"--{LocalStorage.DataFolderSetting}={_dataFolder}", "--Local:Senders=false",
            RuntimeProcess.LoadRateSetting, RuntimeProcess.LoadBurstSetting);
        using var again = restarted.Client();
        var found = await Task.WhenAll(references.Select(r => again.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?clientTransactionRef={r}")));

        found.Count(f => f.GetProperty("items").GetArrayLength() == 1).ShouldBe(references.Count);
    }
}
