using System.Globalization;
using Azure.Data.Tables;
using PayByLink.Core.Domain;
using PayByLink.Core.Limits.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// A merchant's message counts for a day in one partition (<c>{merchant}|{yyyy-MM-dd}</c>), a counter per channel
/// (<see cref="ShardedCounters"/>, so that creates at the same moment seldom write the same row).
/// </summary>
public sealed class TableMessageCounts(StorageClients storage) : IMessageCounts
{
    private readonly TableClient _table = storage.Table(StorageNames.MessageCountsTable);

    public async Task<IReadOnlyDictionary<Channel, long>> ReadAsync(string merchantId, DateOnly day, CancellationToken cancellationToken) =>
        (await ShardedCounters.SumAsync(_table, Partition(merchantId, day), null, cancellationToken))
        .Where(c => Enum.TryParse<Channel>(c.Key, out _))
        .ToDictionary(c => Enum.Parse<Channel>(c.Key), c => c.Value);

    public async Task AddAsync(string merchantId, DateOnly day, IReadOnlyDictionary<Channel, long> counts, CancellationToken cancellationToken)
    {
        foreach (var (channel, count) in counts.Where(c => c.Value != 0))
        {
            await ShardedCounters.AddAsync(_table, Partition(merchantId, day), channel.ToString(), count, cancellationToken);
        }
    }

    private static string Partition(string merchantId, DateOnly day) =>
        $"{merchantId}|{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}
