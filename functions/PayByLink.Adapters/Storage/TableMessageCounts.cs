using System.Globalization;
using Azure.Data.Tables;
using PayByLink.Core.Domain;
using PayByLink.Core.Limits.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// A merchant's message counts for a day: one counter (<see cref="ShardedCounters"/>) in partition
/// <c>{merchant}|{yyyy-MM-dd}</c> with a column per channel, so a create adds to both channels in one write.
/// </summary>
public sealed class TableMessageCounts(StorageClients storage) : IMessageCounts
{
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

    private static string Partition(string merchantId, DateOnly day) =>
        $"{merchantId}|{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}
