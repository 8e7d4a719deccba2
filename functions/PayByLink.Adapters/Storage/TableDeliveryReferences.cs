using Azure.Data.Tables;
using PayByLink.Core.Delivery;

namespace PayByLink.Adapters.Storage;

/// <summary>Email operation ids in the <c>DeliveryReferences</c> table, one partition each, naming their send.</summary>
public sealed class TableDeliveryReferences(StorageClients storage) : IDeliveryReferences
{
    private readonly TableClient _table = storage.Table(StorageNames.DeliveryReferencesTable);

    public Task SaveAsync(string reference, SendReference send, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(TableKeys.Escape(reference), "")
        {
            ["MerchantId"] = send.MerchantId,
            ["RequestId"] = send.RequestId,
            ["SendId"] = send.SendId,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<SendReference?> FindAsync(string reference, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(reference), "", cancellationToken: cancellationToken);
        return row.HasValue
            ? new SendReference(row.Value!.GetString("MerchantId"), row.Value.GetString("RequestId"), row.Value.GetString("SendId"))
            : null;
    }
}
