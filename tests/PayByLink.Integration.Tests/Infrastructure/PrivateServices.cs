using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>
/// The suite's services on a private Azurite with one merchant, and no local runtime, so no worker competes: for
/// tests that call use cases and functions directly.
/// </summary>
public sealed class PrivateServices : IAsyncDisposable
{
    private readonly Azurite _azurite;

    private PrivateServices(Azurite azurite, ServiceProvider services, Merchant merchant)
    {
        _azurite = azurite;
        Services = services;
        Merchant = merchant;
    }

    public ServiceProvider Services { get; }

    /// <summary>The key these services encrypt stored secrets with (its id is 1).</summary>
    public const string SecretsKey = "private-services-secrets-key";

    public Merchant Merchant { get; }

    /// <summary>
    /// Starts them; <paramref name="replace"/> registers what the test substitutes (a clock, a publisher), and
    /// <paramref name="settings"/> are added to the configuration.
    /// </summary>
    public static async Task<PrivateServices> StartAsync(string merchantId, Action<IServiceCollection>? replace = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var azurite = await Azurite.StartPrivateAsync(Path.GetTempPath(), inMemory: true, CancellationToken.None);
        var collection = new ServiceCollection().AddLogging();
        replace?.Invoke(collection);
        var services = collection
            .AddPayByLink(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["PayByLinkStorage"] = azurite.ConnectionString,
                ["PayByLink:PublicBaseUrl"] = "https://pay.example.com",
                ["Secrets:EncryptionKey"] = SecretsKey,
                ["Secrets:LookupKey"] = SecretsKey,
                ["Batches:MaxWaitForSenders"] = "00:00:02", // nothing sends here: a worker waits for the senders a moment, not 5 s
            }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build())
            .BuildServiceProvider();
        await services.GetRequiredService<StorageClients>().EnsureCreatedAsync(CancellationToken.None);
        var merchant = await services.GetRequiredService<MerchantAdministration>()
            .AddMerchantAsync(new Merchant(merchantId, "Acme", "GBP", 1000m), CancellationToken.None);
        return new PrivateServices(azurite, services, merchant);
    }

    /// <summary>
    /// Starts a batch of the merchant's, uploads <paramref name="csv"/> and has the Batch app's upload trigger dispatch
    /// it: the batch, the app's functions, and the chunk messages for the test to work when it chooses.
    /// </summary>
    public async Task<(PayByLink.Core.Batches.Batch Batch, PayByLink.Batch.BatchUploadFunctions Functions, IReadOnlyList<string> Chunks)> DispatchBatchAsync(byte[] csv)
    {
        var storage = Services.GetRequiredService<StorageClients>();
        var started = (await Services.GetRequiredService<PayByLink.Core.Batches.StartBatch>().ExecuteAsync(Merchant, "file.csv", false, CancellationToken.None)).Started!;
        var blob = storage.Blobs.GetBlobContainerClient(StorageNames.BatchUploadsContainer).GetBlobClient(started.Batch.BlobName);
        await blob.UploadAsync(new BinaryData(csv));
        var functions = new PayByLink.Batch.BatchUploadFunctions(Services.GetRequiredService<PayByLink.Core.Batches.ProcessBatchUpload>(),
            Services.GetRequiredService<PayByLink.Core.Batches.ProcessBatchChunk>());
        await functions.OnUpload(blob, CancellationToken.None);
        var chunks = (await storage.Queues.GetQueueClient(StorageNames.BatchChunksQueue).ReceiveMessagesAsync(32)).Value;
        return (started.Batch, functions, chunks.Select(m => m.Body.ToString()).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
