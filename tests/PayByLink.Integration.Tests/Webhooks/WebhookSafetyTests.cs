using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters;
using PayByLink.Adapters.Storage;
using PayByLink.Adapters.Webhooks;
using PayByLink.Core.Webhooks;
using PayByLink.Http;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Webhooks;

/// <summary>
/// Webhooks as they run in Azure (<c>Webhooks:LocalRuntime</c> unset) on the suite's storage: what may be
/// registered, what a delivery may connect to, and an endpoint that fails until it is disabled.
/// </summary>
[Collection(SuiteCollection.Name)]
public class WebhookSafetyTests(SuiteFixture suite)
{
    /// <summary>A resolver for made-up names: what a hostile DNS could answer.</summary>
    private sealed class FakeResolver(Dictionary<string, string> names) : IHostResolver
    {
        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IPAddress>>(names.TryGetValue(host, out var address) ? [IPAddress.Parse(address)] : []);
    }

    private ServiceProvider AzureServices(Dictionary<string, string> names, Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["PayByLinkStorage"] = suite.Azurite.ConnectionString,
            ["PayByLink:PublicBaseUrl"] = "https://pay.example.com",
            ["Secrets:EncryptionKey"] = SuiteFixture.SecretsKey,
            ["Secrets:LookupKey"] = SuiteFixture.SecretsKey,
        };
        foreach (var (name, value) in settings ?? [])
        {
            values[name] = value;
        }

        return new ServiceCollection()
            .AddLogging()
            .AddSingleton<IHostResolver>(new FakeResolver(names))
            .AddPayByLink(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .AddPayByLinkHttp()
            .BuildServiceProvider();
    }

    [Fact]
    public async Task In_Azure_a_name_that_resolves_inside_is_refused_at_registration()
    {
        var merchant = await suite.NewMerchantAsync();
        await using var services = AzureServices(new()
        {
            ["internal.example.test"] = "10.1.2.3",
            ["metadata.example.test"] = "169.254.169.254",
            ["public.example.test"] = "93.184.216.34",
        });
        var endpoints = services.GetRequiredService<WebhookEndpoints>();

        foreach (var url in new[] { "https://internal.example.test/hooks", "https://metadata.example.test/", "https://127.0.0.1/hooks",
                     "http://public.example.test/hooks", "https://unknown.example.test/hooks" })
        {
            var (endpoint, errors) = await endpoints.AddAsync(merchant.Merchant.Id, new NewWebhookEndpoint(url, ["*"], null), CancellationToken.None);
            endpoint.ShouldBeNull(url);
            errors.ShouldHaveSingleItem().Field.ShouldBe("url");
        }

        var (accepted, _) = await endpoints.AddAsync(merchant.Merchant.Id, new NewWebhookEndpoint("https://public.example.test/hooks", ["*"], null),
            CancellationToken.None);
        accepted.ShouldNotBeNull();
    }

    /// <summary>The webhook client as the apps register it, with these rules and this resolver.</summary>
    private static IWebhookClient Client(WebhookUrlRules rules, IHostResolver resolver) =>
        HttpWebhookClient.AddTo(new ServiceCollection().AddSingleton(rules).AddSingleton(resolver).AddSingleton(WebhookRetryPolicy.Default)).BuildServiceProvider()
            .GetRequiredService<IWebhookClient>();

    [Fact]
    public async Task In_Azure_a_delivery_will_not_connect_to_an_address_inside_whatever_the_name_said_before()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var rules = new WebhookUrlRules(LocalRuntime: false);
        var client = Client(rules, new FakeResolver(new() { ["rebound.example.test"] = "127.0.0.1" }));
        var body = Encoding.UTF8.GetBytes("{}");

        foreach (var url in new[] { $"http://rebound.example.test:{receiver.Port}/hooks", $"http://127.0.0.1:{receiver.Port}/hooks" })
        {
            var response = await client.PostAsync(new Uri(url), body, new Dictionary<string, string>(), CancellationToken.None);
            response.StatusCode.ShouldBeNull(url);
            response.Error!.ShouldContain("private, loopback or link-local");
        }

        receiver.Received.ShouldBeEmpty();

        // The same client, with the local runtime's rules, does reach it.
        var local = Client(new WebhookUrlRules(LocalRuntime: true), new FakeResolver(new()));
        (await local.PostAsync(new Uri(receiver.Url), body, new Dictionary<string, string>(), CancellationToken.None)).StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task An_endpoint_failing_for_the_whole_retry_period_gives_up_and_is_disabled_and_says_why()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = _ => Task.FromResult(500);

        // A runtime of its own, whose retry period is two seconds rather than three days.
        var data = Path.Combine(Path.GetTempPath(), "paybylink-disable-" + Guid.NewGuid().ToString("N"));
        await using var azurite = await Azurite.StartPrivateAsync(data, inMemory: true, CancellationToken.None);
        await using var runtime = await LocalRuntime.CreateAsync(
        [
            "--urls", $"http://127.0.0.1:{Azurite.FreePort()}", $"--PayByLinkStorage={azurite.ConnectionString}", "--Logging:LogLevel:Default=Warning",
            "--Local:Senders=false", "--Local:Schedule=false", "--Webhooks:FirstRetry=00:00:00.100", "--Webhooks:GiveUpAfter=00:00:02",
            "--Webhooks:DisableAfter=00:00:02",
        ]);
        await runtime.App.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(runtime.BaseUrl + "/") };
        var admin = runtime.Services.GetRequiredService<PayByLink.Core.Merchants.MerchantAdministration>();
        var merchant = await admin.AddMerchantAsync(new PayByLink.Core.Domain.Merchant("disable-test", "Disable Test", "GBP", 5000m), CancellationToken.None);
        http.DefaultRequestHeaders.Add(MerchantAuthentication.KeyHeader, (await admin.IssueKeyAsync(merchant.Id, CancellationToken.None)).Key);
        var endpointId = (await (await http.PostAsJsonAsync("api/v1/webhook-endpoints",
            new { url = receiver.Url, events = new[] { "payment_request.created" } })).JsonAsync()).Str("endpointId");
        (await http.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate())).EnsureSuccessStatusCode();

        JsonElement state = default;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            state = await http.GetFromJsonAsync<JsonElement>($"api/v1/webhook-endpoints/{endpointId}");
            if (state.Str("status") == "disabled")
            {
                break;
            }
        }

        state.Str("status").ShouldBe("disabled");
        state.Str("disabledReason").ShouldContain("answered 500");
        var delivery = (await http.GetFromJsonAsync<JsonElement>($"api/v1/webhook-endpoints/{endpointId}/deliveries"))
            .GetProperty("items").EnumerateArray().Single();
        delivery.Str("status").ShouldBe("GaveUp");
        delivery.Int("lastStatusCode").ShouldBe(500);
        delivery.Int("attempts").ShouldBeGreaterThan(2);

        // Disabled: nothing more is sent to it.
        var before = receiver.Received.Count;
        (await http.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate())).EnsureSuccessStatusCode();
        await SuiteFixture.QueueDrainedAsync(runtime.Services.GetRequiredService<StorageClients>(), StorageNames.WebhookQueue); // its events' webhook work was taken and settled
        receiver.Received.Count.ShouldBe(before);

        // Enabled again, it gets the events made from then on.
        receiver.Respond = _ => Task.FromResult(200);
        var enabled = await (await http.PostAsync($"api/v1/webhook-endpoints/{endpointId}/enable", null)).JsonAsync();
        enabled.Str("status").ShouldBe("enabled");
        enabled.GetProperty("disabledReason").ValueKind.ShouldBe(JsonValueKind.Null);
        var id = (await (await http.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate())).JsonAsync()).Str("requestId");
        (await receiver.WaitForAsync(r => r.Any(x => x.EventId == $"evt_{id}_1" && x.Answered == 200))).ShouldNotBeEmpty();
    }
}
