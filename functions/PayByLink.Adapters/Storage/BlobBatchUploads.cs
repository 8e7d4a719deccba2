using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using PayByLink.Core.Batches;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// The batch-uploads container. Upload URLs are SAS for one blob with create only (no write: storage refuses to
/// overwrite an existing blob with them, so a URL uploads once): signed with the
/// account key where the client has one (Azurite), otherwise with a user delegation key got through the app's
/// managed identity (Azure, where shared keys are off).
/// </summary>
public sealed class BlobBatchUploads(StorageClients storage, TimeProvider clock) : IBatchUploads
{
    /// <summary>Allowance for clocks that run a little behind ours.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private BlobContainerClient Container => storage.Blobs.GetBlobContainerClient(StorageNames.BatchUploadsContainer);

    public async Task<Uri> CreateUploadUrlAsync(string blobName, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(blobName);
        var startsOn = clock.GetUtcNow() - ClockSkew;
        var sas = new BlobSasBuilder(BlobSasPermissions.Create, expiresAt)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = startsOn,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(sas);
        }

        var key = await storage.Blobs.GetUserDelegationKeyAsync(startsOn, expiresAt, cancellationToken);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key.Value, storage.Blobs.AccountName) }.ToUri();
    }

    public async Task<(string Snapshot, long Size)?> SnapshotAsync(string blobName, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(blobName);
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            var snapshot = await blob.CreateSnapshotAsync(conditions: new BlobRequestConditions { IfMatch = properties.Value.ETag },
                cancellationToken: cancellationToken);
            return (snapshot.Value.Snapshot, properties.Value.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(blobName).ExistsAsync(cancellationToken);

    public async Task<Stream> OpenReadAsync(string blobName, string snapshot, long offset, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(blobName).WithSnapshot(snapshot)
            .OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = 1024 * 1024, Position = offset }, cancellationToken);

    public async Task RetireAsync(string blobName, string? keepSnapshot, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(blobName);
        var retired = false;
        try
        {
            retired = IBatchUploads.IsRetired((await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.Metadata);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }

        if (!retired)
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions
            {
                Metadata = new Dictionary<string, string> { [IBatchUploads.RetiredMetadata] = "true" },
            }, cancellationToken);
        }

        await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = blobName, States = BlobStates.Snapshots }, cancellationToken))
        {
            if (item.Name == blobName && item.Snapshot is { } snapshot && snapshot != keepSnapshot)
            {
                await blob.WithSnapshot(snapshot).DeleteIfExistsAsync(cancellationToken: cancellationToken);
            }
        }
    }
}
