using System.ComponentModel;
using PayByLink.Core.Domain;
using PayByLink.Core.Reporting;

namespace PayByLink.Http.Reporting;

public sealed record StatsView(
    [property: Description("The first day, yyyy-MM-dd in the merchant's time zone.")] string From,
    [property: Description("The last day, included.")] string To,
    [property: Description("The merchant's time zone, whose days these are.")] string TimeZone,
    StatsFiguresView Totals,
    [property: Description("Requests paid in full for each link sent over the range (0 to 1); null when none was sent.")] double? Conversion,
    [property: Description("The figures of each day of the range, oldest first.")] IReadOnlyList<DayStatsView> Days)
{
    public static StatsView Of(StatsReport report) => new(StatsRange.Text(report.From), StatsRange.Text(report.To), report.TimeZone,
        StatsFiguresView.From(report.Totals), report.Conversion is { } c ? Math.Round(c, 4) : null,
        report.Days.Select(d => new DayStatsView(StatsRange.Text(d.Date), StatsFiguresView.From(d.Stats))).ToList());
}

public sealed record DayStatsView(string Date, StatsFiguresView Figures);

public sealed record StatsFiguresView(
    [property: Description("Requests whose first text went that day.")] int SentSms,
    [property: Description("Requests whose first email went that day.")] int SentEmail,
    [property: Description("Requests with their first delivery receipt that day.")] int Delivered,
    [property: Description("Requests whose payment page was first opened that day.")] int Opened,
    [property: Description("Requests paid in full that day.")] int Paid,
    [property: Description("Money taken that day (instalments included), by currency.")] IReadOnlyDictionary<string, decimal> Collected)
{
    public static StatsFiguresView From(DayStats s) => new(s.SentSms, s.SentEmail, s.Delivered, s.Opened, s.Paid,
        s.Collected.ToDictionary(c => c.Key, c => Currency.WithMinorDigits(c.Value, c.Key)));
}
