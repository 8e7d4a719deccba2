namespace PayByLink.Core.Reporting;

/// <summary>A merchant's figures for a range of its days, day by day and in total.</summary>
public sealed record StatsReport(DateOnly From, DateOnly To, string TimeZone, IReadOnlyList<(DateOnly Date, DayStats Stats)> Days)
{
    public DayStats Totals => Days.Aggregate(DayStats.Empty, (sum, d) => sum.Plus(d.Stats));

    /// <summary>Requests paid for each link sent, over the range; null when none was sent.</summary>
    public double? Conversion => Totals.Sent == 0 ? null : (double)Totals.Paid / Totals.Sent;
}
