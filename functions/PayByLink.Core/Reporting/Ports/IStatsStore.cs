namespace PayByLink.Core.Reporting;

/// <summary>A merchant's daily figures, counted as changes happen.</summary>
public interface IStatsStore
{
    /// <summary>
    /// Counts <paramref name="key"/> (a request, or a payment) at <paramref name="step"/> on <paramref name="day"/>, once:
    /// a repeat changes nothing.
    /// </summary>
    Task RecordAsync(string merchantId, DateOnly day, StatsStep step, string key, decimal amount, string currency, CancellationToken cancellationToken);

    /// <summary>One day's figures: a single storage read.</summary>
    Task<DayStats> ReadAsync(string merchantId, DateOnly day, CancellationToken cancellationToken);
}
