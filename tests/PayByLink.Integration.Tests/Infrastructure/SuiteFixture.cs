using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Api;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Http;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>
/// A private Azurite and the local runtime serving real HTTP on 127.0.0.1, shared by the tests of the suite
/// collection. Each test makes its own merchants, so tests never see each other's data.
/// </summary>
public sealed class SuiteFixture : IAsyncLifetime
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "paybylink-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>The key Event Grid would carry to the carrier events endpoint.</summary>
    public const string CarrierKey = "suite-carrier-key-0123456789";

    /// <summary>The key the suite's runtime and the apps built beside it encrypt stored secrets with.</summary>
    public const string SecretsKey = "suite-secrets-key-0123456789";

    public Azurite Azurite { get; private set; } = null!;

    public LocalRuntime Runtime { get; private set; } = null!;

    public string BaseUrl => Runtime.BaseUrl;

    public StorageClients Storage => Runtime.Services.GetRequiredService<StorageClients>();

    /// <summary>Waits (20 s at most) until the queue holds no message, visible or held by a worker: every one was received and settled.</summary>
    public static async Task QueueDrainedAsync(StorageClients storage, string queueName)
    {
        var queue = storage.Queues.GetQueueClient(queueName);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"{queueName} still holds messages");
            await Task.Delay(100);
        }
    }

    public Outbox Outbox { get; private set; } = null!;

    public FaultInjectingProvider Provider => Runtime.Services.GetRequiredService<FaultInjectingProvider>();

    public async Task InitializeAsync()
    {
        Azurite = await Azurite.StartPrivateAsync(_dataFolder, inMemory: true, CancellationToken.None);
        Runtime = await LocalRuntime.CreateAsync(
        [
            "--urls", $"http://127.0.0.1:{Azurite.FreePort()}",
            $"--PayByLinkStorage={Azurite.ConnectionString}",
            "--Logging:LogLevel:Default=Warning",
            "--Telemetry:Console=false",
            "--Delivery:FirstRetryDelay=00:00:00.050",
            "--Delivery:MaxDeliveryCount=3",
            "--Webhooks:FirstRetry=00:00:00.300",
            "--Webhooks:Timeout=00:00:01",
            $"--CarrierEvents:Key={CarrierKey}",
            $"--Secrets:EncryptionKey={SecretsKey}",
        ], services =>
        {
            services.AddSingleton<FaultInjectingProvider>();
            services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<FaultInjectingProvider>());
            services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<FaultInjectingProvider>());
        });
        await Runtime.App.StartAsync();
        Outbox = new Outbox(Runtime.Services.GetRequiredService<TableOutbox>(), Runtime.Services.GetRequiredService<StorageClients>());
    }

    public async Task DisposeAsync()
    {
        if (Runtime is not null)
        {
            await Runtime.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A new merchant with one key, and an HTTP client that sends that key.</summary>
    public async Task<TestMerchant> NewMerchantAsync(decimal maxAmount = 5000m, string timeZone = Merchant.DefaultTimeZone)
    {
        var admin = Runtime.Services.GetRequiredService<MerchantAdministration>();
        var merchant = await admin.AddMerchantAsync(
            new Merchant("m-" + Guid.NewGuid().ToString("N")[..12], "Acme Energy", "GBP", maxAmount, timeZone), CancellationToken.None);
        var (key, record) = await admin.IssueKeyAsync(merchant.Id, CancellationToken.None);
        return new TestMerchant(merchant, key, record.KeyId, ClientWithKey(key));
    }

    /// <summary>
    /// The services the Api app builds (AddApiApp) on the suite's Azurite, with the
    /// given settings over a public base URL of https://pay.example.com: for calling functions directly.
    /// </summary>
    public ServiceProvider FunctionAppServices(Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["PayByLinkStorage"] = Azurite.ConnectionString,
            ["PayByLink:PublicBaseUrl"] = "https://pay.example.com",
            ["Secrets:EncryptionKey"] = SecretsKey,
            ["Secrets:LookupKey"] = SecretsKey,
        };
        foreach (var (name, value) in settings ?? [])
        {
            values[name] = value;
        }

        // As the Functions worker's web host does, the settings and the environment are services too (page rendering reads them).
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<Microsoft.AspNetCore.Hosting.IWebHostEnvironment>(new FunctionsHostEnvironment())
            .AddApiApp(configuration)
            .BuildServiceProvider();
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl + "/") };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add(MerchantAuthentication.KeyHeader, key);
        }

        return client;
    }
}

public sealed record TestMerchant(Merchant Merchant, string Key, string KeyId, HttpClient Http)
{
    public Task<HttpResponseMessage> CreateAsync(object body) => Http.PostAsJsonAsync("api/v1/payment-requests", body);
}

[CollectionDefinition(Name)]
public sealed class SuiteCollection : ICollectionFixture<SuiteFixture>
{
    public const string Name = "suite";
}
