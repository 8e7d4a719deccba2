using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using PayByLink.Core.Events;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Events as rows in the partition of the request or batch they are about, so each is written in one transaction
/// with its change: <c>{prefix}event|{sequence, 6 digits}</c>, read oldest first as one key range.
/// </summary>
internal static class EventRows
{
    public static TableEntity Entity(string partitionKey, string rowPrefix, DomainEvent change, StoredDocuments documents) =>
        new(partitionKey, RowKey(rowPrefix, change.Sequence))
        {
            ["Type"] = change.Type,
            ["CreatedAt"] = change.CreatedAt,
            ["Data"] = JsonSerializer.Serialize(change.Data, documents.Options),
            ["Actor"] = change.Actor is null ? null : JsonSerializer.Serialize(change.Actor, documents.Options),
        };

    public static async Task<IReadOnlyList<DomainEvent>> ListAsync(TableClient table, string partitionKey, string rowPrefix, string merchantId,
        string subjectId, StoredDocuments documents, CancellationToken cancellationToken) =>
        (await ListWithRowAsync(table, partitionKey, rowPrefix, null, merchantId, subjectId, documents, cancellationToken)).Events;

    /// <summary>The events, and in the same query the row <paramref name="alsoRow"/> of the partition (when given and there).</summary>
    public static async Task<(IReadOnlyList<DomainEvent> Events, TableEntity? Row)> ListWithRowAsync(TableClient table, string partitionKey,
        string rowPrefix, string? alsoRow, string merchantId, string subjectId, StoredDocuments documents, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and RowKey gt {rowPrefix + "event|"} and RowKey lt {rowPrefix + "event}"}");
        if (alsoRow is not null)
        {
            filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and (RowKey eq {alsoRow} or (RowKey gt {rowPrefix + "event|"} and RowKey lt {rowPrefix + "event}"}))");
        }

        var events = new List<DomainEvent>();
        TableEntity? also = null;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey == alsoRow)
            {
                also = row;
                continue;
            }

            events.Add(new DomainEvent(merchantId, subjectId, int.Parse(row.RowKey[(rowPrefix.Length + "event|".Length)..], CultureInfo.InvariantCulture),
                row.GetString("Type"), row.GetDateTimeOffset("CreatedAt")!.Value,
                JsonSerializer.Deserialize<EventData>(row.GetString("Data"), documents.Options)!)
            {
                Actor = row.GetString("Actor") is { } actor ? JsonSerializer.Deserialize<Actor>(actor, documents.Options) : null,
            });
        }

        return (events, also);
    }

    private static string RowKey(string rowPrefix, int sequence) => $"{rowPrefix}event|{sequence.ToString("D6", CultureInfo.InvariantCulture)}";
}
