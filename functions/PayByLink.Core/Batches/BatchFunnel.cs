using PayByLink.Core.Domain;
using PayByLink.Core.Events;

namespace PayByLink.Core.Batches;

/// <summary>The steps a batch line's request can reach after its link is sent, each counted once per line.</summary>
public enum FunnelStep
{
    Delivered,
    Undeliverable,
    Opened,
    Paid,
}

/// <summary>
/// How far a batch's requests got: sent (the batch's own count), delivered and undeliverable (a carrier's receipt on
/// any of the line's sends), opened, paid, and the amount paid by currency. Each line counts once in each.
/// </summary>
public sealed record Funnel(int Sent, int Delivered, int Undeliverable, int Opened, int Paid, IReadOnlyDictionary<string, decimal> AmountPaid);

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

/// <summary>The funnel's counts of each batch: a line is counted at a step once, however often its change is told.</summary>
public interface IBatchFunnelStore
{
    /// <summary>Counts the line at the step, once: a repeat changes nothing.</summary>
    Task RecordAsync(string merchantId, string batchId, int record, FunnelStep step, decimal amount, string currency, CancellationToken cancellationToken);

    Task<FunnelTally> ReadAsync(string merchantId, string batchId, CancellationToken cancellationToken);
}

/// <summary>Counts batch lines' requests into their batch's funnel as their changes arrive.</summary>
public sealed class BatchFunnel(IBatchFunnelStore store) : IChangeConsumer
{
    public async Task OnChangeAsync(Change change, CancellationToken cancellationToken)
    {
        if (change.Request is not { Batch: { } line } request)
        {
            return;
        }

        foreach (var step in Steps(change, request).Distinct())
        {
            await store.RecordAsync(request.MerchantId, line.BatchId, line.Record, step, request.Content.Amount, request.Content.Currency,
                cancellationToken);
        }
    }

    /// <summary>The steps a change shows the line reached: from its events, and from its status (for a repeat).</summary>
    public static IEnumerable<FunnelStep> Steps(Change change, PaymentRequest request)
    {
        foreach (var e in change.Events)
        {
            switch (e.Type)
            {
                case EventTypes.RequestDelivered:
                    yield return FunnelStep.Delivered;
                    break;
                case EventTypes.RequestUndeliverable:
                    yield return FunnelStep.Undeliverable;
                    break;
            }
        }

        if (request.Status is PaymentRequestStatus.Opened)
        {
            yield return FunnelStep.Opened;
        }

        if (request.Status is PaymentRequestStatus.Paid)
        {
            yield return FunnelStep.Paid;
        }
    }

    public async Task<Funnel> ReadAsync(Batch batch, BatchCounts counts, CancellationToken cancellationToken)
    {
        var tally = await store.ReadAsync(batch.MerchantId, batch.BatchId, cancellationToken);
        return new Funnel(counts.Sent, tally.Delivered, tally.Undeliverable, tally.Opened, tally.Paid, tally.AmountPaid);
    }
}
