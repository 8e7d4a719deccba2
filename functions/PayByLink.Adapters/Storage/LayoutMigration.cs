using Azure.Data.Tables;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Moves rows written under an earlier table layout to where the stores now look for them, so that data kept across an
/// upgrade (a laptop's emulator, an account) is read as before. Every step is safe to repeat: a row is written to its
/// new table before it is deleted from its old one.
/// </summary>
internal static class LayoutMigration
{
    /// <summary>
    /// Reference claims used to be rows (<c>ref</c>) of <c>PaymentRequests</c>, and status index rows rows of
    /// <c>PaymentRequestIndex</c>. Both now have tables of their own. A store with no claim left in the old place has
    /// nothing to move, so this costs one query once moved.
    /// </summary>
    public static async Task MoveClaimsAndStatusRowsAsync(StorageClients storage, CancellationToken cancellationToken)
    {
        var requests = storage.Table(StorageNames.PaymentRequestsTable);
        var legacyClaims = TableClient.CreateQueryFilter($"RowKey eq {PaymentRequestRows.ClaimRow}");
        if (!await AnyAsync(requests, legacyClaims, cancellationToken))
        {
            return;
        }

        await MoveAsync(storage.Table(StorageNames.PaymentRequestIndexTable), storage.Table(StorageNames.PaymentRequestStatusTable),
            null, row => PaymentRequestIndexRows.IsStatusPartition(row.PartitionKey), cancellationToken);
        await MoveAsync(requests, storage.Table(StorageNames.PaymentRequestClaimsTable), legacyClaims, _ => true, cancellationToken);
    }

    private static async Task<bool> AnyAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, 1, ["PartitionKey"], cancellationToken))
        {
            return true;
        }

        return false;
    }

    private static async Task MoveAsync(TableClient from, TableClient to, string? filter, Func<TableEntity, bool> moves,
        CancellationToken cancellationToken)
    {
        await foreach (var row in from.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (moves(row))
            {
                await to.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
                await from.DeleteEntityAsync(row.PartitionKey, row.RowKey, Azure.ETag.All, cancellationToken);
            }
        }
    }
}
