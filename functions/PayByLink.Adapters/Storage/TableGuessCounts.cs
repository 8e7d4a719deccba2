using System.Globalization;
using Azure.Data.Tables;
using PayByLink.Core.Limits.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Links that did not exist, opened per client in each window: one partition per window (its start, counted in
/// windows since the epoch), a counter per client key (<see cref="ShardedCounters"/>). Every instance reads and adds
/// to the same counts.
/// </summary>
public sealed class TableGuessCounts(StorageClients storage) : IGuessCounts
{
    private readonly TableClient _table = storage.Table(StorageNames.LinkGuessesTable);

    private static readonly string[] Columns = ["Misses"];

    public async Task<long> CountAsync(string client, long window, CancellationToken cancellationToken) =>
        (await ShardedCounters.SumAsync(_table, Partition(window), client, Columns, cancellationToken))["Misses"];

    public Task AddAsync(string client, long window, CancellationToken cancellationToken) =>
        ShardedCounters.AddAsync(_table, Partition(window), client, new Dictionary<string, long> { ["Misses"] = 1 }, cancellationToken);

    private static string Partition(long window) => window.ToString("D12", CultureInfo.InvariantCulture);
}
