namespace PayByLink.Core.Batches;

public enum BatchLineState
{
    /// <summary>Became a payment request (or matched an identical earlier one).</summary>
    Accepted,

    /// <summary>Failed validation or idempotency: no request was made.</summary>
    Rejected,
}
