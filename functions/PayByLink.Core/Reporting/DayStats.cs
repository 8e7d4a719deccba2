namespace PayByLink.Core.Reporting;

/// <summary>A merchant's figures for one day of its time zone (or the sum of several days).</summary>
public sealed record DayStats(int SentSms, int SentEmail, int Delivered, int Opened, int Paid, IReadOnlyDictionary<string, decimal> Collected)
{
    public static readonly DayStats Empty = new(0, 0, 0, 0, 0, new Dictionary<string, decimal>());

    public int Sent => SentSms + SentEmail;

    public DayStats Plus(DayStats other) => new(SentSms + other.SentSms, SentEmail + other.SentEmail, Delivered + other.Delivered,
        Opened + other.Opened, Paid + other.Paid,
        Collected.Concat(other.Collected).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value)));

    /// <summary>These figures with one more at <paramref name="step"/> (and, when Collected, its amount).</summary>
    public DayStats With(StatsStep step, decimal amount, string currency) => step switch
    {
        StatsStep.SentSms => this with { SentSms = SentSms + 1 },
        StatsStep.SentEmail => this with { SentEmail = SentEmail + 1 },
        StatsStep.Delivered => this with { Delivered = Delivered + 1 },
        StatsStep.Opened => this with { Opened = Opened + 1 },
        StatsStep.Paid => this with { Paid = Paid + 1 },
        _ => Plus(Empty with { Collected = new Dictionary<string, decimal> { [currency] = amount } }),
    };
}
