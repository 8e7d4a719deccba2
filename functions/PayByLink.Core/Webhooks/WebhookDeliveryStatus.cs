namespace PayByLink.Core.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its next attempt (the first, or a retry).</summary>
    Pending,

    /// <summary>A worker is posting it now; others leave it until the lease ends.</summary>
    Delivering,

    /// <summary>The endpoint answered 2xx.</summary>
    Delivered,

    /// <summary>Retried for the whole retry period without a 2xx, or the endpoint was disabled or deleted.</summary>
    GaveUp,
}
