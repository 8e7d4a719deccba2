namespace PayByLink.Core.Delivery;

/// <summary>
/// What became of one attempt of a queued piece of work (a send, a webhook post): finished (take the message off the
/// queue), finished but worth keeping for an operator (dead-letter it), or to come back: after
/// <see cref="RetryAfter"/>, or, for a failed attempt, after the retry policy's backoff (<see cref="BackOff"/>).
/// </summary>
public sealed record DeliveryResult(bool Finished, bool DeadLetter, TimeSpan RetryAfter)
{
    /// <summary>The provider throttled the send: it comes back after <see cref="RetryAfter"/> as the same attempt.</summary>
    public bool Throttled { get; init; }

    /// <summary>The attempt failed and another follows, after the retry policy's backoff for this attempt.</summary>
    public bool BackOff { get; init; }

    public static readonly DeliveryResult Done = new(true, false, TimeSpan.Zero);

    public static readonly DeliveryResult DeadLettered = new(true, true, TimeSpan.Zero);

    public static readonly DeliveryResult Failed = new(false, false, TimeSpan.Zero) { BackOff = true };

    public static DeliveryResult Later(TimeSpan delay) => new(false, false, delay);

    public static DeliveryResult ThrottledFor(TimeSpan delay) => new(false, false, delay) { Throttled = true };
}
