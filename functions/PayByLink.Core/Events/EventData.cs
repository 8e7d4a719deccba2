using PayByLink.Core.Batches;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Payments;

namespace PayByLink.Core.Events;

/// <summary>
/// What the event shows: the request as it stood after the change, with the send or payment the event is about;
/// or the batch with its counts.
/// </summary>
public sealed record EventData(
    PaymentRequest? Request = null,
    DeliveryRecord? Delivery = null,
    Payment? Payment = null,
    Batch? Batch = null,
    BatchCounts? Counts = null)
{
    /// <summary>The event's copies without the customer's personal data: the request's (<see cref="PaymentRequest.WithoutPersonalData"/>) and the send's recipient.</summary>
    public EventData WithoutPersonalData(DateTimeOffset erasedAt) =>
        this with { Request = Request?.WithoutPersonalData(erasedAt), Delivery = Delivery is { } d ? d with { Recipient = null } : null };
}
