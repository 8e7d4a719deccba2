using PayByLink.Core.Domain;

namespace PayByLink.Core.Batches;

/// <summary>
/// The rules that settle an accepted batch line, in one place: whose request it stands for, and what that request's
/// status makes of the line. A line stands either for its own request (made by this line, and found again when its
/// work repeats) or for an identical earlier request it matched (made by a single create or another batch, kept and not
/// sent again). The two settle differently, and must: the changes of a line's own request count the line as they come
/// (so it waits while the request is Pending), but no change of an earlier request ever names this line, so that line
/// is settled at once, from the request as it stands.
/// </summary>
public static class BatchLineOutcomes
{
    /// <summary>Whether <paramref name="request"/> is this line's own, not an earlier one it matched.</summary>
    public static bool IsOwnRequest(BatchLineRef line, PaymentRequest request) => request.Batch == line;

    /// <summary>The outcome a line's own request's status settles, or null while it is Pending: its first send's change counts it.</summary>
    public static BatchLineOutcome? ForOwnRequest(PaymentRequest request)
    {
        var record = request.Batch?.Record ?? -1;
        return request.Status switch
        {
            PaymentRequestStatus.Pending => null,
            PaymentRequestStatus.Sent or PaymentRequestStatus.Opened or PaymentRequestStatus.Paid => new BatchLineOutcome(record, true, []),
            PaymentRequestStatus.Failed => new BatchLineOutcome(record, false,
                [new FieldError("delivery", "delivery_failed", $"No channel could deliver the link (request {request.RequestId}).")]),
            _ => new BatchLineOutcome(record, false,
                [new FieldError("status", request.Status.ToString().ToLowerInvariant(),
                    $"The request ({request.RequestId}) was {request.Status} before its link was sent.")]),
        };
    }

    /// <summary>
    /// The outcome of a line that matched an identical earlier request, settled now: sent, unless that request is closed
    /// without being paid. A Pending one counts as sent: its own sends are under way, and are not this batch's to count.
    /// </summary>
    public static BatchLineOutcome ForEarlierRequest(int record, PaymentRequest earlier) =>
        earlier.Status is PaymentRequestStatus.Failed or PaymentRequestStatus.Cancelled or PaymentRequestStatus.Expired
            ? new BatchLineOutcome(record, false, [new FieldError("clientTransactionRef", "earlier_request_closed",
                $"An identical earlier request ({earlier.RequestId}) is {earlier.Status}; it is not sent again.")])
            : new BatchLineOutcome(record, true, []);
}
