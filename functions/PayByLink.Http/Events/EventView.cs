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
                           ".payment_refused, .payment_refunded, .resent, .erased; batch.processing, .completed, .failed, .expired.")] string Type,
    DateTime CreatedAt,
    [property: Description("1, 2, 3… per payment request or batch.")] int Sequence,
    [property: Description("The payment request (with the send or payment the event is about) or the batch (with its counts), as it " +
                           "stood after the change, in the shape its GET shows.")] object Data,
    [property: Description("Who made the change: a console user, an API key (its id), the customer, or the system (the schedule, " +
                           "delivery, the carrier's report, the payment provider, a batch). Null on events recorded before events named it.")]
    ActorView? Actor)
{
    public static EventView From(DomainEvent e, PaymentLinks links) => new(e.EventId, e.Type, e.CreatedAt.UtcDateTime, e.Sequence,
        e.Data.Batch is { } batch
            ? BatchView.From(new BatchState(batch, e.Data.Counts ?? new Core.Batches.BatchCounts(batch.TotalRecords, 0, 0, 0, batch.TotalRecords)))
            : PaymentRequestView.From(e.Data.Request!, links, e.Data.Delivery is { } d ? [d] : [], e.Data.Payment is { } p ? [p] : []),
        e.Actor is { } actor ? new ActorView(actor.Type.ToString().ToLowerInvariant(), actor.Id, actor.Name) : null);
}

public sealed record ActorView(
    [property: Description("user, key, customer or system.")] string Type,
    [property: Description("The user's id, the key's id, customer, or the part of the system (schedule, sender, carrier, payment-provider, administrator, a batch id).")]
    string Id,
    [property: Description("Who, in words.")] string Name);

public sealed record EventListView(IReadOnlyList<EventView> Items);
