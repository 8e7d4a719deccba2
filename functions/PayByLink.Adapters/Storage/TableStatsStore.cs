using System.Globalization;
using Azure.Data.Tables;
using PayByLink.Core.Reporting;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Merchants' daily figures in the <c>MerchantStats</c> table: a partition per merchant and day
/// (<c>{merchant}|{yyyy-MM-dd}</c>) holding <see cref="Shards"/> tally rows (<c>tally|{shard}</c>, the shard by the
/// counted key, to spread concurrent writers) and a marker per step and key (<c>{step}|{key}</c>) added in the same
/// transaction as its count, so each is counted once. A day is read in one query of its tally rows.
/// </summary>
public sealed class TableStatsStore(StorageClients storage) : IStatsStore
{
    private const int Shards = 8;
    private const string TallyPrefix = "tally|";
    private const string CollectedPrefix = "Collected_";

    private readonly TableClient _table = storage.Table(StorageNames.MerchantStatsTable);

    public async Task RecordAsync(string merchantId, DateOnly day, StatsStep step, string key, decimal amount, string currency,
        CancellationToken cancellationToken)
    {
        var partition = Partition(merchantId, day);
        var row = TallyPrefix + (uint)StableHash(key) % Shards;
        var marker = $"{step}|{key}";
        await MarkedTally.AddOnceAsync(_table, partition, row, marker,
            found => Entity(partition, row, (found is null ? DayStats.Empty : Read(found)).With(step, amount, currency)),
            $"The {day} figures of {merchantId}", cancellationToken);
    }

    public async Task<DayStats> ReadAsync(string merchantId, DateOnly day, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(merchantId, day)} and RowKey ge {TallyPrefix} and RowKey lt {"tally}"}");
        var sum = DayStats.Empty;
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            sum = sum.Plus(Read(entity));
        }

        return sum;
    }

    private static string Partition(string merchantId, DateOnly day) =>
        $"{merchantId}|{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>The same shard for a key in every process (string.GetHashCode differs from one process to the next).</summary>
    private static int StableHash(string key) => key.Aggregate(17, (hash, c) => unchecked(hash * 31 + c));

    private static TableEntity Entity(string partition, string row, DayStats stats)
    {
        var entity = new TableEntity(partition, row)
        {
            [nameof(DayStats.SentSms)] = stats.SentSms,
            [nameof(DayStats.SentEmail)] = stats.SentEmail,
            [nameof(DayStats.Delivered)] = stats.Delivered,
            [nameof(DayStats.Opened)] = stats.Opened,
            [nameof(DayStats.Paid)] = stats.Paid,
        };
        foreach (var (currency, amount) in stats.Collected)
        {
            entity[CollectedPrefix + currency] = amount.ToString(CultureInfo.InvariantCulture);
        }

        return entity;
    }

    private static DayStats Read(TableEntity e) => new(e.GetInt32(nameof(DayStats.SentSms)) ?? 0, e.GetInt32(nameof(DayStats.SentEmail)) ?? 0,
        e.GetInt32(nameof(DayStats.Delivered)) ?? 0, e.GetInt32(nameof(DayStats.Opened)) ?? 0, e.GetInt32(nameof(DayStats.Paid)) ?? 0,
        e.Keys.Where(k => k.StartsWith(CollectedPrefix, StringComparison.Ordinal))
            .ToDictionary(k => k[CollectedPrefix.Length..], k => decimal.Parse(e.GetString(k), CultureInfo.InvariantCulture)));
}
