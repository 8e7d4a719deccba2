using System.Globalization;
using Azure.Data.Tables;
using PayByLink.Core.Limits;
using PayByLink.Core.Limits.Ports;
using PayByLink.Core.Scheduling;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Links that did not exist, opened per client in each window: one partition per window (its start, counted in
/// windows since the epoch), a counter per client key (<see cref="ShardedCounters"/>). Every instance reads and adds
/// to the same counts; the timer deletes windows over an hour old.
/// </summary>
public sealed class TableGuessCounts(StorageClients storage) : IGuessCounts, IExpiringRows
{
    /// <summary>Windows this old are deleted by the timer: a count is read only in its own window.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(1);

    private readonly TableClient _table = storage.Table(StorageNames.LinkGuessesTable);

    private static readonly string[] Columns = ["Misses"];

    public async Task<long> CountAsync(string client, long window, CancellationToken cancellationToken) =>
        (await ShardedCounters.SumAsync(_table, Partition(window), client, Columns, cancellationToken))["Misses"];

    public Task AddAsync(string client, long window, CancellationToken cancellationToken) =>
        ShardedCounters.AddAsync(_table, Partition(window), client, new Dictionary<string, long> { ["Misses"] = 1 }, cancellationToken);

    public Task<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ShardedCounters.DeleteAsync(_table,
            TableClient.CreateQueryFilter($"PartitionKey lt {Partition((now - KeptFor).UtcTicks / LinkGuessLimiter.Window.Ticks)}"), _ => true,
            cancellationToken);

    private static string Partition(long window) => window.ToString("D12", CultureInfo.InvariantCulture);
}
