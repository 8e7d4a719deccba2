using Microsoft.Extensions.Configuration;
using PayByLink.Adapters;

namespace PayByLink.Local;

/// <summary>Where the local runtime's data lives: the configured storage, or an Azurite it finds or starts.</summary>
public static class LocalStorage
{
    public static string DataFolder => Path.Combine(RepositoryRoot.Find(), ".azurite");

    /// <summary>
    /// When <c>PayByLinkStorage</c> is not configured, points it at Azurite (started if needed) and returns the
    /// Azurite to stop on shutdown.
    /// </summary>
    public static async Task<Azurite?> ResolveAsync(ConfigurationManager configuration, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(configuration[PayByLinkServices.StorageConnection]) ||
            !string.IsNullOrWhiteSpace(configuration[$"{PayByLinkServices.StorageConnection}:accountName"]))
        {
            return null;
        }

        var azurite = await Azurite.UseOrStartAsync(DataFolder, cancellationToken);
        configuration[PayByLinkServices.StorageConnection] = azurite.ConnectionString;
        return azurite;
    }
}
