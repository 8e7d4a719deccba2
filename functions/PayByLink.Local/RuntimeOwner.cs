using System.Diagnostics;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using PayByLink.Adapters.Storage;

namespace PayByLink.Local;

/// <summary>
/// The local runtime that is using a data folder, or an Azurite: its process (id and start time, so a reused id is
/// not mistaken for it), where it serves and where its storage is. Kept beside the data and in the storage itself,
/// so that a second runtime finds the first one instead of sharing its storage.
/// </summary>
public sealed record RuntimeOwner(int ProcessId, DateTimeOffset ProcessStartedAt, string BaseUrl, string DataFolder, string StorageConnection,
    IReadOnlyList<int> AzuriteProcessIds)
{
    private const string Container = "paybylink-local";
    private const string Blob = "runtime.json";

    public static RuntimeOwner ThisProcess(string baseUrl, string dataFolder, Azurite azurite)
    {
        using var process = Process.GetCurrentProcess();
        return new RuntimeOwner(Environment.ProcessId, process.StartTime.ToUniversalTime(), baseUrl, dataFolder, azurite.ConnectionString,
            azurite.ProcessIds);
    }

    public bool IsThisProcess => ProcessId == Environment.ProcessId;

    /// <summary>Whether the process that wrote this is still running (not one that died and whose id was reused).</summary>
    public bool IsRunning()
    {
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            return !process.HasExited && (process.StartTime.ToUniversalTime() - ProcessStartedAt).Duration() < TimeSpan.FromSeconds(2);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public string Describe() => $"process {ProcessId}, serving {BaseUrl}, data in {DataFolder}";

    public static RuntimeOwner? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<RuntimeOwner>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The runtime recorded in an Azurite's storage, if any. An outage comes out as the storage clients' own.</summary>
    public static async Task<RuntimeOwner?> ReadFromStorageAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            var blob = Record(connectionString).GetBlobClient(Blob);
            return Parse((await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task WriteToStorageAsync(CancellationToken cancellationToken)
    {
        var container = Record(StorageConnection);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await container.GetBlobClient(Blob).UploadAsync(BinaryData.FromString(ToJson()), overwrite: true, cancellationToken);
    }

    /// <summary>The container of the record, through the suite's storage clients (their deadlines and outage policy).</summary>
    private static BlobContainerClient Record(string connectionString) =>
        StorageClients.FromConnectionString(connectionString).Blobs.GetBlobContainerClient(Container);
}
