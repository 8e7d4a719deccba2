using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using PayByLink.Core.Events;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Events as rows in the partition of the request or batch they are about, so each is written in one transaction
/// with its change: <c>{prefix}event|{sequence, 6 digits}</c>, read oldest first as one key range.
/// </summary>
internal static class EventRows
{
    private static readonly JsonSerializerOptions DocumentJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static TableEntity Entity(string partitionKey, string rowPrefix, DomainEvent change) =>
        new(partitionKey, RowKey(rowPrefix, change.Sequence))
        {
            ["Type"] = change.Type,
            ["CreatedAt"] = change.CreatedAt,
            ["Data"] = JsonSerializer.Serialize(change.Data, DocumentJson),
        };

    public static async Task<IReadOnlyList<DomainEvent>> ListAsync(TableClient table, string partitionKey, string rowPrefix, string merchantId,
        string subjectId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and RowKey gt {rowPrefix + "event|"} and RowKey lt {rowPrefix + "event}"}");
        var events = new List<DomainEvent>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            events.Add(new DomainEvent(merchantId, subjectId, int.Parse(row.RowKey[(rowPrefix.Length + "event|".Length)..], CultureInfo.InvariantCulture),
                row.GetString("Type"), row.GetDateTimeOffset("CreatedAt")!.Value,
                JsonSerializer.Deserialize<EventData>(row.GetString("Data"), DocumentJson)!));
        }

        return events;
    }

    private static string RowKey(string rowPrefix, int sequence) => $"{rowPrefix}event|{sequence.ToString("D6", CultureInfo.InvariantCulture)}";
}

/// <summary>The event log: a request's events in its partition of <c>PaymentRequests</c>, a batch's beside it in <c>Batches</c>.</summary>
public sealed class TableEventLog(StorageClients storage) : IEventLog
{
    private readonly TableClient _requests = storage.Table(StorageNames.PaymentRequestsTable);
    private readonly TableClient _batches = storage.Table(StorageNames.BatchesTable);

    public Task<IReadOnlyList<DomainEvent>> ListAsync(string merchantId, string subjectId, CancellationToken cancellationToken) =>
        EventIds.IsBatch(subjectId)
            ? EventRows.ListAsync(_batches, merchantId, TableBatchStore.EventRowPrefix(subjectId), merchantId, subjectId, cancellationToken)
            : EventRows.ListAsync(_requests, TablePaymentRequestStore.MainKey(merchantId, subjectId), "", merchantId, subjectId, cancellationToken);
}
