using PayByLink.Adapters;

namespace PayByLink.Local;

/// <summary>Where the local runtime's data lives: the configured storage, or an Azurite it finds or starts.</summary>
public static class LocalStorage
{
    /// <summary>A folder of its own for Azurite's data and the development key, in an Azurite of its own on free ports.</summary>
    public const string DataFolderSetting = "Local:DataFolder";

    /// <summary>The repository's <c>.azurite/</c>, unless <see cref="DataFolderSetting"/> names another folder.</summary>
    public static string DataFolder(IConfiguration configuration) =>
        configuration[DataFolderSetting] is { Length: > 0 } folder ? Path.GetFullPath(folder) : Path.Combine(RepositoryRoot.Find(), ".azurite");

    private static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[PayByLinkServices.StorageConnection]) ||
        !string.IsNullOrWhiteSpace(configuration[$"{PayByLinkServices.StorageConnection}:accountName"]);

    /// <summary>
    /// For a runtime, when <c>PayByLinkStorage</c> is not configured: takes the data folder (refused while another runtime
    /// runs on it), points <c>PayByLinkStorage</c> at Azurite (with a data folder of its own, a new Azurite on free ports;
    /// otherwise the one listening on 10000–10002, unless another running runtime uses it, or a new one keeping its data
    /// in <c>.azurite/</c>) and records this runtime there. Returns what to let go of when the runtime stops.
    /// </summary>
    public static async Task<(Azurite? Azurite, DataFolderLock? Lock)> ResolveForRuntimeAsync(ConfigurationManager configuration, string baseUrl,
        CancellationToken cancellationToken)
    {
        if (IsConfigured(configuration))
        {
            return (null, null);
        }

        var folder = DataFolder(configuration);
        var folderLock = DataFolderLock.Acquire(folder);
        Azurite? azurite = null;
        try
        {
            // A runtime that was killed leaves the Azurite it started running on the folder: stopped as Azurite saves.
            await Azurite.StopLeftBehindAsync(folderLock.Previous?.AzuriteProcessIds ?? [], folder);
            azurite = await StartAzuriteAsync(configuration, folder, cancellationToken);
            var owner = RuntimeOwner.ThisProcess(baseUrl, folder, azurite);
            if (!azurite.Started && await RuntimeOwner.ReadFromStorageAsync(azurite.ConnectionString, cancellationToken) is { IsThisProcess: false } other &&
                other.IsRunning())
            {
                throw new LocalRuntimeInUseException(
                    $"The Azurite on 127.0.0.1 (blob {azurite.BlobPort}) is in use by a PayByLink runtime that is still running ({other.Describe()}). " +
                    $"Stop it, or give this one a folder of its own, in an Azurite of its own: --{DataFolderSetting}=/some/folder");
            }

            await owner.WriteToStorageAsync(cancellationToken);
            folderLock.Record(owner);
            configuration[PayByLinkServices.StorageConnection] = azurite.ConnectionString;
            return (azurite, folderLock);
        }
        catch
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }

            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// For an admin command, when <c>PayByLinkStorage</c> is not configured: the storage of the runtime running on the
    /// data folder, or Azurite found or started as a runtime would (returned, to stop when the command is done).
    /// </summary>
    public static async Task<Azurite?> ResolveForCommandAsync(ConfigurationManager configuration, CancellationToken cancellationToken)
    {
        if (IsConfigured(configuration))
        {
            return null;
        }

        var folder = DataFolder(configuration);
        if (DataFolderLock.RunningOwner(folder) is { } runtime)
        {
            configuration[PayByLinkServices.StorageConnection] = runtime.StorageConnection;
            return null;
        }

        var azurite = await StartAzuriteAsync(configuration, folder, cancellationToken);
        configuration[PayByLinkServices.StorageConnection] = azurite.ConnectionString;
        return azurite;
    }

    private static async Task<Azurite> StartAzuriteAsync(IConfiguration configuration, string folder, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(configuration[DataFolderSetting])
            ? await Azurite.UseOrStartAsync(folder, cancellationToken)
            : await Azurite.StartPrivateAsync(folder, inMemory: false, cancellationToken);
}
