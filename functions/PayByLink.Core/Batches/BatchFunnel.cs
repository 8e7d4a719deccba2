using PayByLink.Core.Domain;
using PayByLink.Core.Events;

namespace PayByLink.Core.Batches;

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
