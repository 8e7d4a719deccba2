using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Counters that many writers add to at once: each counter's value is spread over <see cref="Shards"/> rows
/// (<c>{counter}|{shard}</c>) of its partition, a writer adds to one chosen at random with its ETag, and a read sums them.
/// </summary>
internal static class ShardedCounters
{
    public const int Shards = 8;

    public static async Task AddAsync(TableClient table, string partition, string counter, long count, CancellationToken cancellationToken)
    {
        var row = $"{counter}|{Random.Shared.Next(Shards)}";
        await ConditionalWrite.RetryAsync($"Counter {partition}/{counter}", async _ =>
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            try
            {
                if (found.HasValue)
                {
                    var entity = found.Value!;
                    entity["Count"] = (entity.GetInt64("Count") ?? 0) + count;
                    await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await table.AddEntityAsync(new TableEntity(partition, row) { ["Count"] = count }, cancellationToken);
                }

                return WriteAttempt.Done(true);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                return WriteAttempt<bool>.Conflict;
            }
        });
    }

    /// <summary>The counters of a partition, or of one counter in it, by name.</summary>
    public static async Task<Dictionary<string, long>> SumAsync(TableClient table, string partition, string? counter,
        CancellationToken cancellationToken)
    {
        var filter = counter is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {counter + "|"} and RowKey lt {counter + "}"}");
        var totals = new Dictionary<string, long>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "Count"], cancellationToken: cancellationToken))
        {
            var name = entity.RowKey[..entity.RowKey.LastIndexOf('|')];
            totals[name] = totals.GetValueOrDefault(name) + (entity.GetInt64("Count") ?? 0);
        }

        return totals;
    }
}
