namespace PayByLink.Core.Payments;

public enum CallbackVerdict
{
    /// <summary>Signed, fresh, and a payment.</summary>
    Confirmed,

    /// <summary>Signed and fresh, but not a completed payment (a decline, an event of no interest).</summary>
    Ignored,

    /// <summary>Unsigned, forged, stale or unreadable: nothing changes.</summary>
    Rejected,
}
