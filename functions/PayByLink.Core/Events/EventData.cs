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
    BatchCounts? Counts = null);
