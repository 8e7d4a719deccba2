using Azure.Data.Tables;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>Storage is healthy when a one-row query of the merchants table answers (with the app's own data access).</summary>
public sealed class StorageHealthProbe(StorageClients storage) : IHealthProbe
{
    public async Task<IReadOnlyDictionary<string, bool>> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var rows = storage.Table(StorageNames.MerchantsTable)
                .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"health"}"), 1, ["PartitionKey"], cancellationToken)
                .AsPages().GetAsyncEnumerator(cancellationToken);
            await rows.MoveNextAsync();
            return new Dictionary<string, bool> { ["storage"] = true };
        }
        catch (Azure.RequestFailedException)
        {
            return new Dictionary<string, bool> { ["storage"] = false };
        }
    }
}
