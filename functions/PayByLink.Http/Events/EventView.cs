using System.ComponentModel;
using PayByLink.Core.Batches;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Http.Batches;
using PayByLink.Http.PaymentRequests;

namespace PayByLink.Http.Events;

/// <summary>One event, as the timeline shows it and as a webhook posts it.</summary>
public sealed record EventView(
    [property: Description("Stable across retries and redeliveries: deduplicate on it.")] string Id,
    [property: Description("payment_request.created, .sent, .send_failed, .opened, .paid, .instalment_paid, .cancelled, .expired, .failed, " +
                           ".payment_refused, .payment_refunded; batch.processing, .completed, .failed, .expired.")] string Type,
    DateTime CreatedAt,
    [property: Description("1, 2, 3… per payment request or batch.")] int Sequence,
    [property: Description("The payment request (with the send or payment the event is about) or the batch (with its counts), as it " +
                           "stood after the change, in the shape its GET shows.")] object Data)
{
    public static EventView From(DomainEvent e, PaymentLinks links) => new(e.EventId, e.Type, e.CreatedAt.UtcDateTime, e.Sequence,
        e.Data.Batch is { } batch
            ? BatchView.From(new BatchState(batch, e.Data.Counts ?? new Core.Batches.BatchCounts(batch.TotalRecords, 0, 0, 0, batch.TotalRecords)))
            : PaymentRequestView.From(e.Data.Request!, links, e.Data.Delivery is { } d ? [d] : [], e.Data.Payment is { } p ? [p] : []));
}

public sealed record EventListView(IReadOnlyList<EventView> Items);
