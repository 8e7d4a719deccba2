namespace PayByLink.Core.Domain;

public enum PaymentRequestStatus
{
    Pending,
    Sent,
    Opened,
    Paid,
    Cancelled,
    Expired,
    Failed,
}

/// <summary>
/// The one table of allowed status changes. Statuses only move forward: a late or duplicate event
/// can never take a request back from a final state.
/// </summary>
public static class StatusTransitions
{
    private static readonly Dictionary<PaymentRequestStatus, PaymentRequestStatus[]> Allowed = new()
    {
        [PaymentRequestStatus.Pending] =
        [
            PaymentRequestStatus.Sent, PaymentRequestStatus.Opened, PaymentRequestStatus.Paid,
            PaymentRequestStatus.Cancelled, PaymentRequestStatus.Expired, PaymentRequestStatus.Failed,
        ],
        [PaymentRequestStatus.Sent] =
        [
            PaymentRequestStatus.Opened, PaymentRequestStatus.Paid, PaymentRequestStatus.Cancelled,
            PaymentRequestStatus.Expired,
        ],
        [PaymentRequestStatus.Opened] =
            [PaymentRequestStatus.Paid, PaymentRequestStatus.Cancelled, PaymentRequestStatus.Expired],
        [PaymentRequestStatus.Paid] = [],
        [PaymentRequestStatus.Cancelled] = [],
        [PaymentRequestStatus.Expired] = [],
        [PaymentRequestStatus.Failed] = [],
    };

    /// <summary>The statuses a merchant may set through the API.</summary>
    public static readonly IReadOnlySet<PaymentRequestStatus> SettableByMerchant =
        new HashSet<PaymentRequestStatus> { PaymentRequestStatus.Cancelled, PaymentRequestStatus.Paid };

    public static bool CanMove(PaymentRequestStatus from, PaymentRequestStatus to) => Allowed[from].Contains(to);

    public static bool IsOpen(PaymentRequestStatus status) =>
        status is PaymentRequestStatus.Pending or PaymentRequestStatus.Sent or PaymentRequestStatus.Opened;

    public static bool TryParse(string? value, out PaymentRequestStatus status) =>
        Enum.TryParse(value?.Trim(), ignoreCase: true, out status) && Enum.IsDefined(status) &&
        !int.TryParse(value, out _);
}
