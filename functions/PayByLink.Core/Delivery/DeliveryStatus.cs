namespace PayByLink.Core.Delivery;

public enum DeliveryStatus
{
    /// <summary>A sender holds this send and is talking to the provider; others wait for it.</summary>
    Sending,

    /// <summary>Tried and failed for a reason worth retrying; another attempt will follow.</summary>
    Retrying,

    /// <summary>The provider accepted it; the carrier's receipt has not come yet.</summary>
    Sent,

    /// <summary>The carrier's receipt says it reached the customer. Nothing later takes it back.</summary>
    Delivered,

    /// <summary>The carrier's receipt says it did not reach the customer (unknown number, bounced mailbox).</summary>
    Undeliverable,

    /// <summary>Failed for good: a permanent provider error, or out of attempts.</summary>
    Failed,

    /// <summary>
    /// Not sent: the request was no longer open (paid, cancelled, expired), or the recipient opted out (error code
    /// <c>opted_out</c>).
    /// </summary>
    Skipped,
}
