using System.Globalization;
using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Domain;
using PayByLink.Core.Limits.Ports;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// A merchant's message counts for a day in one partition (<c>{merchant}|{yyyy-MM-dd}</c>), each channel's count spread
/// over <see cref="Shards"/> rows (<c>{channel}|{shard}</c>) so that creates at the same moment seldom write the same
/// row; a read sums the partition.
/// </summary>
public sealed class TableMessageCounts(StorageClients storage) : IMessageCounts
{
    public const int Shards = 8;

    private readonly TableClient _table = storage.Table(StorageNames.MessageCountsTable);

    public async Task<IReadOnlyDictionary<Channel, long>> ReadAsync(string merchantId, DateOnly day, CancellationToken cancellationToken)
    {
        var totals = new Dictionary<Channel, long>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition(merchantId, day)}"),
                           select: ["RowKey", "Count"], cancellationToken: cancellationToken))
        {
            if (Enum.TryParse<Channel>(row.RowKey.Split('|')[0], out var channel))
            {
                totals[channel] = totals.GetValueOrDefault(channel) + (row.GetInt64("Count") ?? 0);
            }
        }

        return totals;
    }

    public async Task AddAsync(string merchantId, DateOnly day, IReadOnlyDictionary<Channel, long> counts, CancellationToken cancellationToken)
    {
        foreach (var (channel, count) in counts.Where(c => c.Value != 0))
        {
            var key = (Partition: Partition(merchantId, day), Row: $"{channel}|{Random.Shared.Next(Shards)}");
            await ConditionalWrite.RetryAsync($"Message count {key.Partition}", async _ =>
            {
                var found = await _table.GetEntityIfExistsAsync<TableEntity>(key.Partition, key.Row, cancellationToken: cancellationToken);
                try
                {
                    if (found.HasValue)
                    {
                        var row = found.Value!;
                        row["Count"] = (row.GetInt64("Count") ?? 0) + count;
                        await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                    }
                    else
                    {
                        await _table.AddEntityAsync(new TableEntity(key.Partition, key.Row) { ["Count"] = count }, cancellationToken);
                    }

                    return WriteAttempt.Done(true);
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    return WriteAttempt<bool>.Conflict;
                }
            });
        }
    }

    private static string Partition(string merchantId, DateOnly day) =>
        $"{merchantId}|{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}
