using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Counters that many writers add to at once: each counter is spread over <see cref="Shards"/> rows
/// (<c>{counter}|{shard}</c>) of its partition, each row holding a column per quantity counted; a writer adds to one
/// row chosen at random with its ETag (one read and one write, whatever it adds), and a read sums the rows.
/// </summary>
internal static class ShardedCounters
{
    public const int Shards = 8;

    public static async Task AddAsync(TableClient table, string partition, string counter, IReadOnlyDictionary<string, long> amounts,
        CancellationToken cancellationToken)
    {
        var row = $"{counter}|{Random.Shared.Next(Shards)}";
        await ConditionalWrite.RetryAsync($"Counter {partition}/{counter}", async _ =>
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            var entity = found.HasValue ? found.Value! : new TableEntity(partition, row);
            foreach (var (column, amount) in amounts)
            {
                entity[column] = (entity.GetInt64(column) ?? 0) + amount;
            }

            try
            {
                if (found.HasValue)
                {
                    await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }

                return WriteAttempt.Done(true);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                return WriteAttempt<bool>.Conflict;
            }
        });
    }

    /// <summary>Deletes every row the filter finds (a sweep of counts gone by); how many.</summary>
    public static async Task<int> DeleteAsync(TableClient table, string? filter, Func<TableEntity, bool> expired, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            if (expired(row))
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>A counter's quantities, summed over its rows.</summary>
    public static async Task<Dictionary<string, long>> SumAsync(TableClient table, string partition, string counter,
        IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {counter + "|"} and RowKey lt {counter + "}"}");
        var totals = columns.ToDictionary(c => c, _ => 0L);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: [.. columns], cancellationToken: cancellationToken))
        {
            foreach (var column in columns)
            {
                totals[column] += entity.GetInt64(column) ?? 0;
            }
        }

        return totals;
    }
}
