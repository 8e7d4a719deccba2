using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayByLink.Adapters.Storage;
using PayByLink.Http;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;
using Xunit.Abstractions;

namespace PayByLink.Integration.Tests.Faults;

/// <summary>
/// The runtime killed outright (SIGKILL) while it works, on a private Azurite that keeps running, then started
/// again: what its clients were told, what is stored, and what was sent are counted against what was asked.
/// </summary>
public sealed class CrashTests(ITestOutputHelper log) : IAsyncLifetime
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "paybylink-crash-" + Guid.NewGuid().ToString("N"));
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.StartPrivateAsync(_dataFolder, inMemory: true, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _azurite.DisposeAsync();
        Directory.Delete(_dataFolder, recursive: true);
    }

    private Task<RuntimeProcess> StartRuntimeAsync() => RuntimeProcess.StartAsync(
        $"--PayByLinkStorage={_azurite.ConnectionString}",
        $"--{LocalStorage.DataFolderSetting}={_dataFolder}",
        "--Local:ScheduleInterval=00:00:05",
        "--Logging:LogLevel:Default=Warning");

    private static HttpClient Client(RuntimeProcess runtime) =>
        new() { BaseAddress = new Uri(runtime.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(30), DefaultRequestHeaders = { { MerchantAuthentication.KeyHeader, runtime.Key } } };

    private static object Create(int i) => Requests.ValidCreate($"KILL-{i:000}", mobile: $"07700 900{i % 1000:000}");

    [Fact]
    public async Task Killed_during_creates_nothing_is_lost_nothing_is_made_twice_and_nothing_stays_pending()
    {
        const int total = 200;
        var runtime = await StartRuntimeAsync();
        var answered = new ConcurrentDictionary<int, string>();
        var gate = new SemaphoreSlim(16);
        var killed = 0;
        using (var http = Client(runtime))
        {
            await Task.WhenAll(Enumerable.Range(0, total).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var response = await http.PostAsJsonAsync("api/v1/payment-requests", Create(i));
                    answered[i] = (await response.JsonAsync()).Str("requestId");
                    if (answered.Count == total / 3 && Interlocked.Exchange(ref killed, 1) == 0)
                    {
                        await runtime.KillAsync();
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
                {
                    // unanswered: the process died under it, or before it
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var unanswered = Enumerable.Range(0, total).Where(i => !answered.ContainsKey(i)).ToList();
        unanswered.Count.ShouldBeGreaterThan(0, "the kill came after every create was answered");

        await using var restarted = await StartRuntimeAsync();
        var restartedAt = DateTime.UtcNow;
        using var client = Client(restarted);
        var retried = new ConcurrentDictionary<HttpStatusCode, int>();
        await Task.WhenAll(unanswered.Select(async i =>
        {
            var response = await client.PostAsJsonAsync("api/v1/payment-requests", Create(i));
            retried.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                (await response.JsonAsync()).Str("code").ShouldBe("create-in-progress");
                response.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
                return;
            }

            response.StatusCode.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.OK);
            var id = (await response.JsonAsync()).Str("requestId");
            (await client.GetAsync($"api/v1/payment-requests/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK, "a retry answered with a request that does not exist");
        }));

        // No further retries: whatever the clients do, every create is finished, and every request sent.
        var outbox = new TableOutbox(StorageClients.FromConnectionString(_azurite.ConnectionString), TimeProvider.System);
        (int Lost, int Twice, int Pending, int WithoutSms, int SmsTwice) counts;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var requests = await Task.WhenAll(Enumerable.Range(0, total).Select(async i =>
                (await client.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?clientTransactionRef=KILL-{i:000}")).GetProperty("items")
                .EnumerateArray().ToList()));
            var sms = (await outbox.ListAsync(10_000, 2, CancellationToken.None)).Where(m => m.Channel == "sms")
                .GroupBy(m => m.RequestId).ToDictionary(g => g.Key, g => g.Count());
            var made = requests.Where(r => r.Count == 1).Select(r => r[0]).ToList();
            counts = (requests.Count(r => r.Count == 0), requests.Count(r => r.Count > 1), made.Count(r => r.Str("status") == "Pending"),
                made.Count(r => !sms.ContainsKey(r.Str("requestId"))), made.Count(r => sms.GetValueOrDefault(r.Str("requestId")) > 1));
        }
        while ((counts.Lost > 0 || counts.Pending > 0 || counts.WithoutSms > 0) && DateTime.UtcNow - restartedAt < TimeSpan.FromSeconds(90));

        log.WriteLine($"{total} creates at concurrency 16, killed after {total / 3} answers: {unanswered.Count} unanswered, retried once at once: " +
                      string.Join(", ", retried.Select(r => $"{(int)r.Key} × {r.Value}")) + $". After {(DateTime.UtcNow - restartedAt).TotalSeconds:0} s: " +
                      $"{counts.Lost} lost, {counts.Twice} made twice, {counts.Pending} pending, {counts.WithoutSms} without an SMS, {counts.SmsTwice} with two SMS.");
        counts.Lost.ShouldBe(0);
        counts.Twice.ShouldBe(0);
        counts.Pending.ShouldBe(0);
        counts.WithoutSms.ShouldBe(0);
    }
}
