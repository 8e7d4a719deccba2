using System.Globalization;
using Azure.Data.Tables;
using PayByLink.Core.Domain;
using PayByLink.Core.Limits.Ports;
using PayByLink.Core.Scheduling;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// A merchant's message counts for a day: one counter (<see cref="ShardedCounters"/>) in partition
/// <c>{merchant}|{yyyy-MM-dd}</c> with a column per channel, so a create adds to both channels in one write. The timer
/// deletes days more than <see cref="KeptForDays"/> behind.
/// </summary>
public sealed class TableMessageCounts(StorageClients storage) : IMessageCounts, IExpiringRows
{
    /// <summary>Days this far behind (in UTC, so behind every merchant's day) are deleted by the timer.</summary>
    public const int KeptForDays = 2;

    private const string Counter = "messages";
    private static readonly string[] Columns = Enum.GetNames<Channel>();

    private readonly TableClient _table = storage.Table(StorageNames.MessageCountsTable);

    public async Task<IReadOnlyDictionary<Channel, long>> ReadAsync(string merchantId, DateOnly day, CancellationToken cancellationToken) =>
        (await ShardedCounters.SumAsync(_table, Partition(merchantId, day), Counter, Columns, cancellationToken))
        .Where(c => c.Value != 0)
        .ToDictionary(c => Enum.Parse<Channel>(c.Key), c => c.Value);

    public Task AddAsync(string merchantId, DateOnly day, IReadOnlyDictionary<Channel, long> counts, CancellationToken cancellationToken) =>
        counts.Values.All(c => c == 0)
            ? Task.CompletedTask
            : ShardedCounters.AddAsync(_table, Partition(merchantId, day), Counter,
                counts.Where(c => c.Value != 0).ToDictionary(c => c.Key.ToString(), c => c.Value), cancellationToken);

    /// <summary>Every merchant's counts of days gone by: a scan of a small table (a row per merchant, day and shard), once an hour.</summary>
    public Task<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var oldest = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-KeptForDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return ShardedCounters.DeleteAsync(_table, null, row => string.CompareOrdinal(row.PartitionKey[(row.PartitionKey.LastIndexOf('|') + 1)..], oldest) < 0,
            cancellationToken);
    }

    private static string Partition(string merchantId, DateOnly day) =>
        $"{merchantId}|{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}
