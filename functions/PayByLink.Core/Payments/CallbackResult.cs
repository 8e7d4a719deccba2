namespace PayByLink.Core.Payments;

public sealed record CallbackResult(CallbackVerdict Verdict, ConfirmedPayment? Payment, string? Reason)
{
    public static CallbackResult Rejected(string reason) => new(CallbackVerdict.Rejected, null, reason);

    public static CallbackResult Ignored(string reason) => new(CallbackVerdict.Ignored, null, reason);

    public static CallbackResult Confirmed(ConfirmedPayment payment) => new(CallbackVerdict.Confirmed, payment, null);
}
