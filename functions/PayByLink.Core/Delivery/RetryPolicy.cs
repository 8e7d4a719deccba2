namespace PayByLink.Core.Delivery;

/// <summary>
/// How often and how patiently a send is tried: <see cref="Backoff"/> between attempts (up to 10 s, 20 s, 40 s … by
/// default, capped at 10 minutes), the delivery count whose failure dead-letters a message, how long a sender holds a
/// claimed send (<see cref="SendingLease"/>, 30 s), and how long a send whose outcome a stopped sender left unknown
/// waits for its receipt before it is sent again (<see cref="ReceiptWait"/>, 15 minutes).
/// </summary>
public sealed class RetryPolicy(TimeSpan firstDelay, TimeSpan maxDelay, int maxDeliveryCount, TimeSpan? receiptWait = null, TimeSpan? sendingLease = null)
{
    // Before Default, which reads them: static fields are set in the order written.
    public static readonly TimeSpan DefaultReceiptWait = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan DefaultSendingLease = TimeSpan.FromSeconds(30);

    public static readonly RetryPolicy Default = new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), 6);

    public int MaxDeliveryCount { get; } = maxDeliveryCount;

    /// <summary>
    /// How long a claimed send is left to the sender holding it before another may try: longer than a provider call
    /// takes, short enough that a send whose sender died is taken over soon.
    /// </summary>
    public TimeSpan SendingLease { get; } = sendingLease ?? DefaultSendingLease;

    /// <summary>Counted from the claim of the send's last attempt; never shorter than the sending lease.</summary>
    public TimeSpan ReceiptWait { get; } = Longest(receiptWait ?? DefaultReceiptWait, sendingLease ?? DefaultSendingLease);

    /// <summary>Whether a failure of this delivery is the message's last: it is dead-lettered rather than retried.</summary>
    public bool IsLastAttempt(int attempt) => attempt >= MaxDeliveryCount;

    public TimeSpan Backoff(int attempt, double? jitter = null) => Ports.Backoff.Delay(firstDelay, maxDelay, attempt, jitter);

    private static TimeSpan Longest(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
