using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;

namespace PayByLink.Core.Ports;

/// <summary>
/// Payment requests of each merchant, kept apart by merchant, with the indexes their list filters use.
/// A create claims the merchant's client transaction reference, then saves the request (the schedule's check on the
/// create, <see cref="CreatePaymentRequest.FinishCheck"/>, says whether it finished).
/// </summary>
public interface IPaymentRequestStore
{
    /// <summary>Claims the reference for this request; returns the existing claim when the reference is taken.</summary>
    Task<ReferenceClaim?> TryClaimReferenceAsync(PaymentRequest request, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The claim on a reference, or null when no create has claimed it.</summary>
    Task<ReferenceClaim?> FindClaimAsync(string merchantId, string clientTransactionRef, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the request, unless it is there already (a request that exists is never overwritten: its status may have
    /// moved on since it was read), and writes its index entries. Safe to repeat.
    /// </summary>
    Task SaveAsync(PaymentRequest request, CancellationToken cancellationToken);

    Task<Versioned<PaymentRequest>?> FindAsync(string merchantId, string requestId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the request if it is still at <paramref name="current"/>'s version, and with it, in the same
    /// transaction, adds the change's event and replaces the delivery record that made the change (when given) if
    /// that is still at its version; false, with nothing written, when either has moved on.
    /// </summary>
    Task<bool> TryReplaceAsync(Versioned<PaymentRequest> current, PaymentRequest replacement, Versioned<DeliveryRecord>? delivery,
        DomainEvent change, CancellationToken cancellationToken);

    Task<PaymentRequestPage> ListAsync(string merchantId, PaymentRequestFilter filter, int pageSize, string? continuationToken,
        CancellationToken cancellationToken);

    /// <summary>
    /// Moves the request's index rows from what <paramref name="before"/> was found by to what <paramref name="after"/>
    /// is (a corrected mobile or email): the new rows written, then the rows of values it no longer has deleted.
    /// </summary>
    Task ReindexAsync(PaymentRequest before, PaymentRequest after, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the customer's personal data from every copy of the request but its own row (which an erasure replaces
    /// as a change): the copies its events hold, its sends' recipients, its index rows (those that find it by name,
    /// mobile or email are deleted, as <paramref name="original"/> had them) and its reference's claim, last. Safe to repeat.
    /// </summary>
    Task EraseCopiesAsync(PaymentRequest original, PaymentRequest erased, CancellationToken cancellationToken);
}

/// <summary>A client transaction reference already taken: by which request, and when.</summary>
public sealed record ReferenceClaim(PaymentRequest Request, DateTimeOffset ClaimedAt);
