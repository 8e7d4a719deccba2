using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using PayByLink.Core.Audit;
using PayByLink.Core.Events;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// The audit in the <c>AuditLog</c> table: a partition per merchant, each entry's row key its time counted back from
/// the end of time (so the partition reads newest first) and a random suffix; a range of days is one range query.
/// </summary>
public sealed class TableAuditLog(StorageClients storage) : IAuditLog
{
    private readonly TableClient _table = storage.Table(StorageNames.AuditLogTable);

    public Task AddAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        _table.AddEntityAsync(new TableEntity(entry.MerchantId, $"{Key(entry.At)}|{Guid.NewGuid():N}")
        {
            ["At"] = entry.At,
            ["ActorType"] = entry.Actor.Type.ToString(),
            ["ActorId"] = entry.Actor.Id,
            ["ActorName"] = entry.Actor.Name,
            ["Action"] = entry.Action,
            ["Subject"] = entry.Subject,
            ["Detail"] = entry.Detail,
        }, cancellationToken);

    public async IAsyncEnumerable<AuditEntry> ListAsync(string merchantId, DateTimeOffset from, DateTimeOffset to,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {merchantId} and RowKey gt {Key(to) + "|~"} and RowKey le {Key(from) + "|~"}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return new AuditEntry(merchantId, e.GetDateTimeOffset("At")!.Value,
                new Actor(Enum.Parse<ActorType>(e.GetString("ActorType")), e.GetString("ActorId"), e.GetString("ActorName")),
                e.GetString("Action"), e.GetString("Subject"), e.GetString("Detail"));
        }
    }

    /// <summary>Later times sort first.</summary>
    private static string Key(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}
