using System.Globalization;
using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Scheduling;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Scheduled events in one partition per UTC second they fall due (<c>yyyy-MM-ddTHH:mm:ss</c>), read an hour at a
/// time as one key range, and the timer's checkpoint. A batch's requests fall due over as many seconds as they
/// took to create, so no partition grows with the size of a batch.
/// </summary>
public sealed class TableScheduleStore(StorageClients storage) : IScheduleStore
{
    private const string CheckpointPartition = "checkpoint";
    private readonly TableClient _table = storage.Table(StorageNames.ScheduleTable);

    /// <summary>Events added or removed in the same second mostly fall due in the same second too: they share transactions.</summary>
    private readonly PartitionWriter _writer = new(storage.Table(StorageNames.ScheduleTable));

    public Task AddAsync(ScheduledEvent scheduled, CancellationToken cancellationToken) =>
        _writer.WriteAsync(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(Second(scheduled.DueAt), RowKey(scheduled))
        {
            ["MerchantId"] = scheduled.MerchantId,
            ["RequestId"] = scheduled.RequestId,
            ["Purpose"] = scheduled.Purpose,
            ["Action"] = scheduled.Action.ToString(),
            ["DueAt"] = scheduled.DueAt,
            ["Reference"] = scheduled.Reference,
        }), cancellationToken);

    public async Task<IReadOnlyList<ScheduledEvent>> DueAsync(DateTimeOffset fromHour, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var due = new List<ScheduledEvent>();
        for (var hour = fromHour; hour <= until; hour = hour.AddHours(1))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey ge {Hour(hour) + ":"} and PartitionKey lt {Hour(hour) + ";"} and DueAt le {until}");
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                due.Add(new ScheduledEvent(row.GetString("MerchantId"), row.GetString("RequestId"), row.GetString("Purpose"),
                    Enum.Parse<ScheduledAction>(row.GetString("Action")), row.GetDateTimeOffset("DueAt")!.Value, row.GetString("Reference")));
            }
        }

        return due;
    }

    public Task RemoveAsync(ScheduledEvent scheduled, CancellationToken cancellationToken) =>
        _writer.WriteAsync(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Second(scheduled.DueAt), RowKey(scheduled)), ETag.All),
            cancellationToken);

    public async Task<bool> ContainsAsync(ScheduledEvent scheduled, CancellationToken cancellationToken) =>
        (await _table.GetEntityIfExistsAsync<TableEntity>(Second(scheduled.DueAt), RowKey(scheduled), ["RowKey"], cancellationToken)).HasValue;

    public async Task<DateTimeOffset?> CheckpointAsync(CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(CheckpointPartition, "timer", cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetDateTimeOffset("Hour") : null;
    }

    public Task SaveCheckpointAsync(DateTimeOffset hour, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(CheckpointPartition, "timer") { ["Hour"] = hour }, TableUpdateMode.Replace, cancellationToken);

    private static string Hour(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture);

    private static string Second(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static string RowKey(ScheduledEvent e) => $"{e.MerchantId}|{e.RequestId}|{e.Purpose}";
}
