using PayByLink.Core.Domain;

namespace PayByLink.Core.Events;

/// <summary>
/// A request's first event, <c>payment_request.created</c>: the request as it was created. It is not written
/// apart: the request's own row is its record (what a request was created with never changes, and it was
/// Pending, updated when created), so it is read from that row and is the same however often it is read.
/// </summary>
public static class RequestCreated
{
    public static DomainEvent Event(PaymentRequest request) =>
        new(request.MerchantId, request.RequestId, 1, EventTypes.RequestCreated, request.CreatedAt,
            new EventData(Request: request with { Status = PaymentRequestStatus.Pending, UpdatedAt = request.CreatedAt, EventCount = 1 }))
        {
            Actor = request.CreatedBy,
        };
}
