using System.Collections.Concurrent;
using PayByLink.Core.Reporting;

namespace PayByLink.Testing.InMemory;

/// <summary>Merchants' daily figures in memory, each key counted once per day and step, as the table store does.</summary>
public sealed class InMemoryStats : IStatsStore
{
    private readonly ConcurrentDictionary<(string MerchantId, DateOnly Day), DayStats> _days = new();
    private readonly ConcurrentDictionary<(string MerchantId, DateOnly Day, StatsStep Step, string Key), byte> _counted = new();

    public Task RecordAsync(string merchantId, DateOnly day, StatsStep step, string key, decimal amount, string currency, CancellationToken cancellationToken)
    {
        if (_counted.TryAdd((merchantId, day, step, key), 0))
        {
            _days.AddOrUpdate((merchantId, day), _ => DayStats.Empty.With(step, amount, currency), (_, stats) => stats.With(step, amount, currency));
        }

        return Task.CompletedTask;
    }

    public Task<DayStats> ReadAsync(string merchantId, DateOnly day, CancellationToken cancellationToken) =>
        Task.FromResult(_days.GetValueOrDefault((merchantId, day), DayStats.Empty));
}
