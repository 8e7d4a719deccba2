using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Http;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Local;

/// <summary>
/// The local runtime on a private Azurite that is stopped and started again, or paused, under it: every call
/// answers 503 with Retry-After in bounded time, and service comes back by itself.
/// </summary>
public sealed class StorageOutageTests : IAsyncLifetime
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "paybylink-outage-" + Guid.NewGuid().ToString("N"));
    private Azurite _azurite = null!;
    private LocalRuntime _runtime = null!;
    private HttpClient _api = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartPrivateAsync(_dataFolder, inMemory: false, CancellationToken.None);
        _runtime = await LocalRuntime.CreateAsync(
        [
            "--urls", $"http://127.0.0.1:{Azurite.FreePort()}",
            $"--PayByLinkStorage={_azurite.ConnectionString}",
            "--Logging:LogLevel:Default=None",
            "--Local:Batches=false",
            "--Local:Schedule=false",
        ]);
        await _runtime.App.StartAsync();
        var admin = _runtime.Services.GetRequiredService<MerchantAdministration>();
        var merchant = await admin.AddMerchantAsync(new Merchant("outage-merchant", "Acme Energy", "GBP", 1000m), CancellationToken.None);
        var (key, _) = await admin.IssueKeyAsync(merchant.Id, CancellationToken.None);
        _api = new HttpClient { BaseAddress = new Uri(_runtime.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(60) };
        _api.DefaultRequestHeaders.Add(MerchantAuthentication.KeyHeader, key);
        _anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(_runtime.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        await _azurite.DisposeAsync();
        Directory.Delete(_dataFolder, recursive: true);
    }

    [Fact]
    public async Task Stopped_storage_gets_503s_at_once_and_service_resumes_when_it_returns()
    {
        var shortUrl = await CreateAsync();

        await _azurite.StopAsync();

        await AnswersUnavailableAsync(within: TimeSpan.FromSeconds(20), healthWithin: TimeSpan.FromSeconds(10), shortUrl);

        await _azurite.RestartAsync(CancellationToken.None);
        await ResumesAsync(shortUrl);
    }

    [Fact]
    public async Task Storage_that_does_not_answer_gets_503s_within_their_deadlines_and_service_resumes()
    {
        var shortUrl = await CreateAsync();

        Signal("STOP");
        try
        {
            await AnswersUnavailableAsync(within: TimeSpan.FromSeconds(20), healthWithin: TimeSpan.FromSeconds(10), shortUrl);
        }
        finally
        {
            Signal("CONT");
        }

        await ResumesAsync(shortUrl);
    }

    [Fact]
    public async Task Storage_that_answers_slowly_gets_every_call_answered_within_20_seconds_and_a_create_s_answer_is_true()
    {
        await CreateAsync();
        var reference = "SLOW-" + Guid.NewGuid().ToString("N")[..8];
        using var slow = new CancellationTokenSource();
        // Storage answers a moment every 4 s (under a try's 5 s timeout, so no try fails), as an overloaded emulator does:
        // a call that makes a storage request after another waits seconds for each.
        var stutter = Task.Run(async () =>
        {
            while (!slow.IsCancellationRequested)
            {
                Signal("STOP");
                await Task.Delay(4000);
                Signal("CONT");
            }
        });
        HttpResponseMessage[] answers;
        try
        {
            answers = await Task.WhenAll(
                TimedAsync(() => _api.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate(reference))),
                TimedAsync(() => _api.GetAsync("api/v1/payment-requests?customerName=smith")),
                TimedAsync(() => _api.PostAsJsonAsync("api/v1/batches", new { fileName = "a.csv" })));
        }
        finally
        {
            await slow.CancelAsync();
            await stutter;
            Signal("CONT");
        }

        var created = answers[0];
        created.StatusCode.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable);
        if (created.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            var detail = (await created.JsonAsync()).Str("detail");
            detail.ShouldContain("whether the request was created is not known");
            detail.ShouldContain("same clientTransactionRef");
        }

        // What the answer says holds: repeated as it says (after Retry-After while the first create is finishing), the
        // create answers with the one request for the reference.
        var repeat = await _api.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate(reference));
        for (var deadline = DateTime.UtcNow.AddMinutes(1); repeat.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable; )
        {
            (await repeat.JsonAsync()).Str("code").ShouldBeOneOf("create-in-progress", "storage-unavailable");
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the create was not finished within a minute");
            await Task.Delay(repeat.Headers.RetryAfter!.Delta!.Value);
            repeat = await _api.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate(reference));
        }

        repeat.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Created);
        (await _api.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/v1/payment-requests?clientTransactionRef={reference}"))
            .GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    /// <summary>The call's answer, which must come within 20 seconds however slowly storage answers.</summary>
    private static async Task<HttpResponseMessage> TimedAsync(Func<Task<HttpResponseMessage>> call)
    {
        var clock = Stopwatch.StartNew();
        var response = await call();
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery}");
        return response;
    }

    private async Task<string> CreateAsync()
    {
        var created = await _api.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate());
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        return new Uri((await created.JsonAsync()).Str("shortUrl")).AbsolutePath.TrimStart('/');
    }

    private async Task AnswersUnavailableAsync(TimeSpan within, TimeSpan healthWithin, string shortUrl)
    {
        var calls = new Func<Task<HttpResponseMessage>>[]
        {
            () => _api.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate()),
            () => _api.GetAsync("api/v1/payment-requests?customerName=smith"),
            () => _api.PostAsJsonAsync("api/v1/batches", new { fileName = "a.csv" }),
        };
        await Task.WhenAll(calls.Select(async call =>
        {
            var clock = Stopwatch.StartNew();
            var response = await call();
            clock.Elapsed.ShouldBeLessThan(within);
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(Problems.RetryAfterSeconds));
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            var problem = await response.JsonAsync();
            problem.Str("code").ShouldBe("storage-unavailable");
            problem.Str("traceId").ShouldNotBeNullOrWhiteSpace();
        }).Append(HealthAsync(healthWithin)).Append(PageAsync(shortUrl, within)));
    }

    private async Task HealthAsync(TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var health = await _anonymous.GetAsync("api/health");
        clock.Elapsed.ShouldBeLessThan(within);
        health.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }

    private async Task PageAsync(string shortUrl, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var page = await _anonymous.GetAsync(shortUrl);
        clock.Elapsed.ShouldBeLessThan(within);
        page.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        page.Headers.RetryAfter.ShouldNotBeNull();
        (await page.Content.ReadAsStringAsync()).ShouldContain("Nothing has been charged");
    }

    private async Task ResumesAsync(string shortUrl)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await _anonymous.GetAsync("api/health")).StatusCode != HttpStatusCode.OK)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "storage came back but health did not");
            await Task.Delay(250);
        }

        (await _api.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate())).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _anonymous.GetAsync(shortUrl)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    private void Signal(string signal)
    {
        foreach (var id in _azurite.ProcessIds)
        {
            using var kill = Process.Start("kill", [$"-{signal}", id.ToString()]);
            kill.WaitForExit();
        }
    }
}
