using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// A row per send (<c>send|{sendId}</c>) in its request's partition of the requests table, so that recording a
/// send and moving the request on can be one transaction.
/// </summary>
public sealed class TableDeliveryStore(StorageClients storage) : IDeliveryStore
{
    private const string RowPrefix = "send|";

    private readonly TableClient _table = storage.Table(StorageNames.PaymentRequestsTable);

    public async Task<Versioned<DeliveryRecord>?> FindAsync(string merchantId, string requestId, string sendId, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition(merchantId, requestId), RowPrefix + sendId, cancellationToken: cancellationToken);
        return row.HasValue ? new Versioned<DeliveryRecord>(Read(row.Value!), row.Value!.ETag.ToString()) : null;
    }

    public async Task<string?> TrySaveAsync(DeliveryRecord record, string? version, CancellationToken cancellationToken)
    {
        var entity = Entity(record);
        try
        {
            var response = version is null
                ? await _table.AddEntityAsync(entity, cancellationToken)
                : await _table.UpdateEntityAsync(entity, new ETag(version), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table Storage returned no ETag.");
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ListAsync(string merchantId, string requestId, CancellationToken cancellationToken)
    {
        var records = new List<DeliveryRecord>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition(merchantId, requestId)} and RowKey gt {RowPrefix} and RowKey lt {RowPrefix[..^1] + "}"}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter,
                           cancellationToken: cancellationToken))
        {
            records.Add(Read(row));
        }

        return records;
    }

    internal static TableEntity Entity(DeliveryRecord record) => new(Partition(record.MerchantId, record.RequestId), RowPrefix + record.SendId)
    {
        ["Channel"] = record.Channel.ToString(),
        ["Purpose"] = record.Purpose,
        ["Status"] = record.Status.ToString(),
        ["Attempts"] = record.Attempts,
        ["Recipient"] = record.Recipient,
        ["ProviderMessageId"] = record.ProviderMessageId,
        ["ErrorCode"] = record.ErrorCode,
        ["ErrorReason"] = record.ErrorReason,
        ["UpdatedAt"] = record.UpdatedAt,
        ["Delivered"] = record.Receipt?.Delivered,
        ["CarrierStatus"] = record.Receipt?.CarrierStatus,
        ["CarrierDetail"] = record.Receipt?.Detail,
        ["ReceiptAt"] = record.Receipt?.At,
    };

    /// <summary>A send's record sits in its request's partition, so the outcome and the request change in one transaction.</summary>
    private static string Partition(string merchantId, string requestId) => PaymentRequestRows.Partition(merchantId, requestId);

    private static DeliveryRecord Read(TableEntity e)
    {
        var at = e.PartitionKey.IndexOf('|');
        return new DeliveryRecord(e.RowKey[RowPrefix.Length..], e.PartitionKey[..at], e.PartitionKey[(at + 1)..],
            Enum.Parse<Channel>(e.GetString("Channel")), e.GetString("Purpose"), Enum.Parse<DeliveryStatus>(e.GetString("Status")),
            e.GetInt32("Attempts") ?? 0, e.GetString("Recipient"), e.GetString("ProviderMessageId"), e.GetString("ErrorCode"),
            e.GetString("ErrorReason"), e.GetDateTimeOffset("UpdatedAt")!.Value,
            e.GetBoolean("Delivered") is { } delivered
                ? new DeliveryReceipt(delivered, e.GetString("CarrierStatus"), e.GetString("CarrierDetail"), e.GetDateTimeOffset("ReceiptAt")!.Value)
                : null);
    }
}
