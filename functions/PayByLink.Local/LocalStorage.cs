using Microsoft.Extensions.Configuration;
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

    /// <summary>
    /// When <c>PayByLinkStorage</c> is not configured, points it at Azurite and returns the Azurite to stop on shutdown:
    /// with a data folder of its own, a new Azurite on free ports; otherwise the one listening on 10000–10002, or a
    /// new one keeping its data in <c>.azurite/</c>.
    /// </summary>
    public static async Task<Azurite?> ResolveAsync(ConfigurationManager configuration, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(configuration[PayByLinkServices.StorageConnection]) ||
            !string.IsNullOrWhiteSpace(configuration[$"{PayByLinkServices.StorageConnection}:accountName"]))
        {
            return null;
        }

        var folder = DataFolder(configuration);
        var azurite = string.IsNullOrWhiteSpace(configuration[DataFolderSetting])
            ? await Azurite.UseOrStartAsync(folder, cancellationToken)
            : await Azurite.StartPrivateAsync(folder, inMemory: false, cancellationToken);
        configuration[PayByLinkServices.StorageConnection] = azurite.ConnectionString;
        return azurite;
    }
}
