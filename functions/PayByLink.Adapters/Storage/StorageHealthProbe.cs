using Azure.Data.Tables;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Storage is healthy when a one-row query of the merchants table answers (with the app's own data access) within
/// <see cref="Deadline"/>: a paused or unreachable account is reported at once, not after the SDK's retries.
/// </summary>
public sealed class StorageHealthProbe(StorageClients storage) : IHealthProbe
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyDictionary<string, bool>> CheckAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            await using var rows = storage.Table(StorageNames.MerchantsTable)
                .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"health"}"), 1, ["PartitionKey"], deadline.Token)
                .AsPages().GetAsyncEnumerator(deadline.Token);
            await rows.MoveNextAsync();
            return new Dictionary<string, bool> { ["storage"] = true };
        }
        catch (Exception e) when (e is StorageUnavailableException or Azure.RequestFailedException ||
                                  (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new Dictionary<string, bool> { ["storage"] = false };
        }
    }
}
