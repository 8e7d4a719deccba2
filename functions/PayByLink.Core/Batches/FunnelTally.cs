namespace PayByLink.Core.Batches;

/// <summary>The funnel's counts of one share of a batch's lines.</summary>
public sealed record FunnelTally(int Delivered, int Undeliverable, int Opened, int Paid, IReadOnlyDictionary<string, decimal> AmountPaid)
{
    public static readonly FunnelTally Empty = new(0, 0, 0, 0, new Dictionary<string, decimal>());

    public FunnelTally Plus(FunnelTally other) => new(Delivered + other.Delivered, Undeliverable + other.Undeliverable, Opened + other.Opened,
        Paid + other.Paid,
        AmountPaid.Concat(other.AmountPaid).GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.Sum(a => a.Value)));

    /// <summary>This tally with one more line at <paramref name="step"/> (and, for Paid, its amount).</summary>
    public FunnelTally With(FunnelStep step, decimal amount, string currency) => step switch
    {
        FunnelStep.Delivered => this with { Delivered = Delivered + 1 },
        FunnelStep.Undeliverable => this with { Undeliverable = Undeliverable + 1 },
        FunnelStep.Opened => this with { Opened = Opened + 1 },
        _ => Plus(new FunnelTally(0, 0, 0, 1, new Dictionary<string, decimal> { [currency] = amount })),
    };
}
