namespace PayByLink.Core.Payments;

public enum PaymentRecordOutcome
{
    Added,

    /// <summary>The same provider payment was recorded before (a replayed callback).</summary>
    Replayed,

    /// <summary>This amount was already paid by another payment: refused, and the provider's payment needs a refund.</summary>
    AlreadyPaid,
}
