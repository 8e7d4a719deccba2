using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Clients for the suite's storage account: from a connection string locally (Azurite), or from the account
/// name and a managed identity in Azure, the same convention the Functions extensions use
/// (<c>PayByLinkStorage</c> or <c>PayByLinkStorage__accountName</c>).
/// </summary>
public sealed class StorageClients
{
    private StorageClients(TableServiceClient tables, QueueServiceClient queues, BlobServiceClient blobs)
    {
        Tables = tables;
        Queues = queues;
        Blobs = blobs;
    }

    public TableServiceClient Tables { get; }
    public QueueServiceClient Queues { get; }
    public BlobServiceClient Blobs { get; }

    /// <summary>
    /// How long one try of a storage call may take, and how many tries there are: a call that storage refuses or
    /// leaves unanswered fails within about 16 seconds (the SDK's defaults, 100 s a try and four tries, would hold a
    /// caller for minutes), as <see cref="StorageUnavailableException"/>.
    /// </summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(5);

    public const int MaxRetries = 2;

    /// <summary>Clients for a connection string; <paramref name="policy"/>, when given, sees every request (benchmarks count them).</summary>
    public static StorageClients FromConnectionString(string connectionString, HttpPipelinePolicy? policy = null)
    {
        var (tableOptions, queueOptions, blobOptions) = Options(policy);
        return new StorageClients(new TableServiceClient(connectionString, tableOptions), new QueueServiceClient(connectionString, queueOptions),
            new BlobServiceClient(connectionString, blobOptions));
    }

    public static StorageClients FromAccountName(string accountName, TokenCredential credential)
    {
        var (tableOptions, queueOptions, blobOptions) = Options(policy: null);
        return new StorageClients(
            new TableServiceClient(new Uri($"https://{accountName}.table.core.windows.net"), credential, tableOptions),
            new QueueServiceClient(new Uri($"https://{accountName}.queue.core.windows.net"), credential, queueOptions),
            new BlobServiceClient(new Uri($"https://{accountName}.blob.core.windows.net"), credential, blobOptions));
    }

    private static (TableClientOptions, QueueClientOptions, BlobClientOptions) Options(HttpPipelinePolicy? policy)
    {
        var tableOptions = new TableClientOptions();
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var blobOptions = new BlobClientOptions();
        foreach (ClientOptions options in new ClientOptions[] { tableOptions, queueOptions, blobOptions })
        {
            options.Retry.Mode = RetryMode.Exponential;
            options.Retry.MaxRetries = MaxRetries;
            options.Retry.Delay = TimeSpan.FromMilliseconds(250);
            options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
            options.Retry.NetworkTimeout = NetworkTimeout;
            options.AddPolicy(new StorageOutagePolicy(), HttpPipelinePosition.PerCall);
            options.AddPolicy(new CallDeadlinePolicy(), HttpPipelinePosition.PerRetry);
            if (policy is not null)
            {
                options.AddPolicy(policy, HttpPipelinePosition.PerCall);
            }
        }

        return (tableOptions, queueOptions, blobOptions);
    }

    public TableClient Table(string name) => Tables.GetTableClient(name);

    /// <summary>Where a browser sends a batch file (the blob endpoint's origin): the console's pages may connect there.</summary>
    public string BlobOrigin => Blobs.Uri.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// Lets pages from <paramref name="origins"/> (and nowhere else) PUT a file to an upload URL: the blob service's one
    /// CORS rule. Azure's is set by the deployment; the local runtime sets Azurite's at start.
    /// </summary>
    public async Task AllowUploadsFromAsync(IEnumerable<string> origins, CancellationToken cancellationToken)
    {
        var properties = (await Blobs.GetPropertiesAsync(cancellationToken)).Value;
        properties.Cors =
        [
            new Azure.Storage.Blobs.Models.BlobCorsRule
            {
                AllowedOrigins = string.Join(',', origins), AllowedMethods = "PUT", MaxAgeInSeconds = 600,
                AllowedHeaders = UploadHeaders, ExposedHeaders = "x-ms-request-id,x-ms-error-code",
            },
        ];
        await Blobs.SetPropertiesAsync(properties, cancellationToken);
    }

    /// <summary>The headers a browser's upload sends; the Bicep rule names the same.</summary>
    public const string UploadHeaders = "content-type,x-ms-blob-type,x-ms-version,x-ms-client-request-id";

    /// <summary>
    /// Creates every table, queue and container that does not exist yet (private: no public access), and moves rows
    /// written under an earlier layout to where they are now read (<see cref="LayoutMigration"/>).
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var table in StorageNames.Tables)
        {
            await Tables.CreateTableIfNotExistsAsync(table, cancellationToken);
        }

        await LayoutMigration.MoveClaimsAndStatusRowsAsync(this, cancellationToken);

        foreach (var queue in StorageNames.Queues)
        {
            await Queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        foreach (var container in StorageNames.Containers)
        {
            await Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }
}
