namespace PayByLink.Core.Batches;

/// <summary>
/// Where the lines of a batch stand. Every record is in exactly one of: <c>pending</c> (not read yet),
/// <c>accepted</c> (a payment request waiting for its first delivery), <c>sent</c>, or <c>failed</c> (rejected, or
/// no channel could deliver it), so the four add up to <c>totalRecords</c>.
/// </summary>
public sealed record BatchCounts(int TotalRecords, int Accepted, int Sent, int Failed, int Pending)
{
    public static BatchCounts From(int totalRecords, IEnumerable<ChunkTally> tallies)
    {
        int accepted = 0, rejected = 0, sent = 0, deliveryFailed = 0;
        foreach (var t in tallies)
        {
            accepted += t.Accepted;
            rejected += t.Rejected;
            sent += t.Sent;
            deliveryFailed += t.DeliveryFailed;
        }

        // A sender can record a line's delivery before its chunk worker records the line: such a line counts as
        // delivered and is no longer pending.
        var awaiting = Math.Max(0, accepted - sent - deliveryFailed);
        var failed = rejected + deliveryFailed;
        return new BatchCounts(totalRecords, awaiting, sent, failed, Math.Max(0, totalRecords - awaiting - sent - failed));
    }
}
