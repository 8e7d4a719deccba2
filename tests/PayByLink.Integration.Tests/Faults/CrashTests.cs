using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;
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
        $"--Delivery:ReceiptWait={ReceiptWait}",
        $"--Delivery:SendingLease={SendingLease}",
        "--Logging:LogLevel:Default=Warning", RuntimeProcess.LoadRateSetting, RuntimeProcess.LoadBurstSetting);

    /// <summary>
    /// How long a send left mid-call waits for its receipt before it is sent again: short here (15 minutes by default),
    /// and still much longer than a receipt takes. Its receipt is due a second after the send; a restarted runtime
    /// finishing a batch keeps the emulator busy, and receipts are recorded seconds late.
    /// </summary>
    private static readonly TimeSpan ReceiptWait = TimeSpan.FromSeconds(30);

    /// <summary>How long a claimed send is its sender's: short here (30 seconds by default), so the wait for a receipt starts soon.</summary>
    private static readonly TimeSpan SendingLease = TimeSpan.FromSeconds(5);

    private static object Create(int i) => Requests.ValidCreate($"KILL-{i:000}", mobile: $"07700 900{i % 1000:000}");

    private sealed record Tally(int Lost, int Twice, int Pending, int WithoutSms, int SmsTwice, string SentTwice = "")
    {
        public bool Settled => Lost == 0 && Pending == 0 && WithoutSms == 0;

        public override string ToString() => $"{Lost} lost, {Twice} made twice, {Pending} pending, {WithoutSms} without an SMS, {SmsTwice} with two SMS" +
                                             (SentTwice.Length > 0 ? $" ({SentTwice})" : "");
    }

    /// <summary>For each reference: is there exactly one request, is it past Pending, and how many SMS did it get.</summary>
    private async Task<Tally> CountAsync(HttpClient client, IReadOnlyList<string> references)
    {
        var gate = new SemaphoreSlim(16);
        var requests = await Task.WhenAll(references.Select(async reference =>
        {
            await gate.WaitAsync();
            try
            {
                return (await client.ReadJsonAsync($"api/v1/payment-requests?clientTransactionRef={reference}"))
                    .GetProperty("items").EnumerateArray().ToList();
            }
            finally
            {
                gate.Release();
            }
        }));
        var outbox = new TableOutbox(StorageClients.FromConnectionString(_azurite.ConnectionString), TimeProvider.System);
        var messages = (await outbox.ListAsync(100_000, CancellationToken.None)).Where(m => m.Channel == "sms").ToList();
        var sms = messages.GroupBy(m => m.RequestId).ToDictionary(g => g.Key, g => g.Count());
        var made = requests.Where(r => r.Count == 1).Select(r => r[0]).ToList();

        // What a send made twice looked like: when each went, and its record as it stands.
        var twice = new List<string>();
        foreach (var id in made.Select(r => r.Str("requestId")).Where(id => sms.GetValueOrDefault(id) > 1))
        {
            var deliveries = (await client.ReadJsonAsync($"api/v1/payment-requests/{id}")).GetProperty("deliveries");
            twice.Add($"{id} sent at {string.Join(" and ", messages.Where(m => m.RequestId == id).Select(m => m.SentAt.ToString("HH:mm:ss.fff")))}, " +
                      string.Join("; ", deliveries.EnumerateArray().Select(d => d.ToString())));
        }

        return new Tally(requests.Count(r => r.Count == 0), requests.Count(r => r.Count > 1), made.Count(r => r.Str("status") == "Pending"),
            made.Count(r => !sms.ContainsKey(r.Str("requestId"))), made.Count(r => sms.GetValueOrDefault(r.Str("requestId")) > 1), string.Join(" | ", twice));
    }

    /// <summary>
    /// Counts until everything is settled or <paramref name="within"/> has passed since <paramref name="from"/>; then,
    /// once no send is in flight, counts again, so that a send made again after its receipt wait shows. A send the kill
    /// left mid-call stays in flight until its receipt comes (or its receipt wait passes and it is made again), and one
    /// waiting to be tried again stays so until it is: once none is, nothing more can be sent.
    /// </summary>
    private async Task<Tally> SettledCountAsync(HttpClient client, IReadOnlyList<string> references, DateTime from, TimeSpan within)
    {
        while (true)
        {
            var tally = await CountAsync(client, references);
            if (tally.Settled || DateTime.UtcNow - from > within)
            {
                var deadline = DateTime.UtcNow + ReceiptWait + TimeSpan.FromSeconds(30);
                while (await InFlightSendsAsync() > 0 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(250);
                }

                return await CountAsync(client, references);
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Sends held by a sender or waiting to be tried again, read from storage (every row here is this test's).</summary>
    private async Task<int> InFlightSendsAsync()
    {
        var table = StorageClients.FromConnectionString(_azurite.ConnectionString).Table(StorageNames.PaymentRequestsTable);
        var count = 0;
        await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(
                           $"RowKey ge 'send|' and RowKey lt 'send}}' and (Status eq '{DeliveryStatus.Sending}' or Status eq '{DeliveryStatus.Retrying}')",
                           select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task Killed_during_creates_nothing_is_lost_nothing_is_made_twice_and_nothing_stays_pending()
    {
        const int total = 200;
        await using var runtime = await StartRuntimeAsync(); // killed below; stopped here if the test fails first
        var answered = new ConcurrentDictionary<int, string>();
        var gate = new SemaphoreSlim(16);
        var killed = 0;
        using (var http = runtime.Client())
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
        using var client = restarted.Client();
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
        var counts = await SettledCountAsync(client, Enumerable.Range(0, total).Select(i => $"KILL-{i:000}").ToList(), restartedAt, TimeSpan.FromSeconds(90));

        log.WriteLine($"{total} creates at concurrency 16, killed after {total / 3} answers: {unanswered.Count} unanswered, retried once at once: " +
                      string.Join(", ", retried.Select(r => $"{(int)r.Key} × {r.Value}")) + $". After {(DateTime.UtcNow - restartedAt).TotalSeconds:0} s: {counts}.");
        counts.Lost.ShouldBe(0);
        counts.Twice.ShouldBe(0);
        counts.Pending.ShouldBe(0);
        counts.WithoutSms.ShouldBe(0);
        counts.SmsTwice.ShouldBe(0, "a send the provider took before the kill was sent again");
    }

    [Fact]
    public async Task Killed_during_a_batch_it_resumes_within_30_seconds_and_every_line_is_made_once_and_sent()
    {
        const int lines = 1000;
        var references = Enumerable.Range(0, lines).Select(i => $"BK-{i:0000}").ToList();
        await using var runtime = await StartRuntimeAsync(); // killed below; stopped here if the test fails first
        JsonElement started;
        using (var http = runtime.Client())
        {
            started = await (await http.PostAsJsonAsync("api/v1/batches", new { fileName = "kill.csv" })).JsonAsync();
            (await BatchFiles.UploadAsync(new Uri(started.Str("uploadUrl")),
                BatchFiles.Csv([BatchFiles.Header, .. references.Select(r => BatchFiles.Line(r))]))).StatusCode.ShouldBe(HttpStatusCode.Created);
            while (Read(await http.ReadJsonAsync($"api/v1/batches/{started.Str("batchId")}")) < lines / 3)
            {
                await Task.Delay(100);
            }
        }

        var killedAt = DateTimeOffset.UtcNow;
        await runtime.KillAsync();
        await using var restarted = await StartRuntimeAsync();
        var restartedAt = DateTime.UtcNow;
        using var client = restarted.Client();
        var atKill = Read(await client.ReadJsonAsync($"api/v1/batches/{started.Str("batchId")}"));
        JsonElement batch;
        TimeSpan? resumedAfter = null;
        do
        {
            await Task.Delay(250);
            batch = await client.ReadJsonAsync($"api/v1/batches/{started.Str("batchId")}");
            resumedAfter ??= Read(batch) > atKill ? DateTime.UtcNow - restartedAt : null;
        }
        while (batch.Str("status") is not ("Completed" or "CompletedWithErrors" or "Failed") && DateTime.UtcNow - restartedAt < BatchLimit);

        var counts = await SettledCountAsync(client, references, restartedAt, BatchLimit);
        log.WriteLine($"A batch of {lines} lines, killed at {killedAt:HH:mm:ss.fff} with {atKill} read: resumed {resumedAfter?.TotalSeconds:0.0} s after the restart, " +
                      $"{batch.Str("status")} {(DateTime.UtcNow - restartedAt).TotalSeconds:0} s after it ({batch.Int("sent")} sent, {batch.Int("failed")} failed): {counts}.");
        if (batch.Str("status") != "Completed")
        {
            log.WriteLine("The restarted runtime's last output:\n" + string.Join('\n', restarted.Output.Split('\n').TakeLast(60)));
        }

        resumedAfter.ShouldNotBeNull().ShouldBeLessThan(TimeSpan.FromSeconds(30));
        batch.Str("status").ShouldBe("Completed");
        (batch.Int("totalRecords"), batch.Int("sent"), batch.Int("failed")).ShouldBe((lines, lines, 0));
        counts.Lost.ShouldBe(0);
        counts.Twice.ShouldBe(0);
        counts.Pending.ShouldBe(0);
        counts.WithoutSms.ShouldBe(0);
        counts.SmsTwice.ShouldBe(0);
    }

    /// <summary>
    /// How long the rest of the batch may take after the restart: a bound on liveness, not a speed (about a minute
    /// alone; the emulator is much slower when other tests share the machine's two cores).
    /// </summary>
    private static readonly TimeSpan BatchLimit = TimeSpan.FromMinutes(10);

    private static int Read(JsonElement batch) => batch.Int("totalRecords") - batch.Int("pending");

    [Fact]
    public async Task Killed_during_sends_every_request_is_sent_after_the_restart()
    {
        const int total = 300;
        var references = Enumerable.Range(0, total).Select(i => $"SK-{i:000}").ToList();
        await using (var quiet = await RuntimeProcess.StartAsync(
                         $"--PayByLinkStorage={_azurite.ConnectionString}", $"--{LocalStorage.DataFolderSetting}={_dataFolder}", "--Local:Senders=false",
                         RuntimeProcess.LoadRateSetting, RuntimeProcess.LoadBurstSetting))
        {
            using var http = quiet.Client();
            var gate = new SemaphoreSlim(16);
            await Task.WhenAll(references.Select(async (reference, i) =>
            {
                await gate.WaitAsync();
                try
                {
                    (await http.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate(reference, mobile: $"07700 900{i:000}")))
                        .StatusCode.ShouldBe(HttpStatusCode.Created);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var outbox = new TableOutbox(StorageClients.FromConnectionString(_azurite.ConnectionString), TimeProvider.System);
        await using var sending = await StartRuntimeAsync(); // killed below; stopped here if the test fails first
        int sentAtKill;
        while ((sentAtKill = (await outbox.ListAsync(100_000, CancellationToken.None)).Count(m => m.Channel == "sms")) < total / 3)
        {
            await Task.Delay(50);
        }

        await sending.KillAsync();
        await using var restarted = await StartRuntimeAsync();
        var restartedAt = DateTime.UtcNow;
        using var client = restarted.Client();

        var counts = await SettledCountAsync(client, references, restartedAt, TimeSpan.FromSeconds(90));
        log.WriteLine($"{total} requests' sends, killed with {sentAtKill} SMS out: after {(DateTime.UtcNow - restartedAt).TotalSeconds:0} s, {counts}.");
        counts.Lost.ShouldBe(0);
        counts.Pending.ShouldBe(0);
        counts.WithoutSms.ShouldBe(0);
        counts.SmsTwice.ShouldBe(0, "a send the provider took before the kill was sent again");
    }

    [Fact]
    public async Task Killed_during_webhook_deliveries_no_event_is_lost_after_the_restart()
    {
        const int total = 60;
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = async _ =>
        {
            await Task.Delay(50); // an endpoint that takes a moment, so the kill finds posts in flight
            return 200;
        };
        await using var running = await StartRuntimeAsync(); // killed below; stopped here if the test fails first
        using (var http = running.Client())
        {
            (await http.PostAsJsonAsync("api/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "*" } })).StatusCode
                .ShouldBe(HttpStatusCode.Created);
            var gate = new SemaphoreSlim(8);
            await Task.WhenAll(Enumerable.Range(0, total).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    await http.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate($"HOOK-{i:000}", mobile: $"07700 900{i:000}"));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        // Five events a request (created, sent and delivered by SMS and by email): kill with about a fifth of them posted.
        while (receiver.Received.Count < total)
        {
            await Task.Delay(20);
        }

        var postedAtKill = receiver.Received.Count;
        await running.KillAsync();
        await using var restarted = await StartRuntimeAsync();
        var restartedAt = DateTime.UtcNow;
        using var client = restarted.Client();

        // Every event on every request's timeline reaches the endpoint at least once, with its id. The sends finish
        // after the restart too: wait for each request's three events first.
        async Task<List<string>> EventIdsAsync() => (await Task.WhenAll(Enumerable.Range(0, total).Select(async i =>
        {
            var id = (await client.ReadJsonAsync($"api/v1/payment-requests?clientTransactionRef=HOOK-{i:000}"))
                .GetProperty("items").EnumerateArray().Select(r => r.Str("requestId")).SingleOrDefault();
            return id is null ? [] : (await client.ReadJsonAsync($"api/v1/payment-requests/{id}/events"))
                .GetProperty("items").EnumerateArray().Select(e => e.Str("id")).ToList();
        }))).SelectMany(e => e).ToList();
        var ids = await EventIdsAsync();
        for (var deadline = DateTime.UtcNow.AddMinutes(2); ids.Count < total * 5 && DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            ids = await EventIdsAsync();
        }

        ids.Count.ShouldBe(total * 5, "every request has its created event, and two sent and two delivered events");
        var missing = ids.Count;
        for (var deadline = DateTime.UtcNow.AddMinutes(3); DateTime.UtcNow < deadline && missing > 0; await Task.Delay(250))
        {
            var delivered = receiver.Received.Where(r => r.Answered == 200).Select(r => r.EventId).ToHashSet();
            missing = ids.Count(id => !delivered.Contains(id));
        }

        var received = receiver.Received;
        var twice = received.GroupBy(r => r.EventId).Count(g => g.Count() > 1);
        log.WriteLine($"{ids.Count} events, killed with {postedAtKill} posted: after {(DateTime.UtcNow - restartedAt).TotalSeconds:0} s, " +
                      $"{missing} never delivered, {twice} delivered more than once ({received.Count} posts in all).");
        missing.ShouldBe(0);
        received.ShouldAllBe(r => r.EventId != null && ids.Contains(r.EventId), "a webhook for an event that is on no timeline");
    }
}
