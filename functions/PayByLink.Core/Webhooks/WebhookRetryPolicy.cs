namespace PayByLink.Core.Webhooks;

/// <summary>
/// How patiently webhooks are retried: <see cref="Backoff"/> from <see cref="FirstRetry"/> up to <see cref="MaxDelay"/>,
/// for <see cref="GiveUpAfter"/> (3 days) after the first attempt; an endpoint that has failed every attempt for
/// <see cref="DisableAfter"/> (3 days) is disabled. An endpoint has <see cref="Timeout"/> (10 s) to answer, and a post
/// is its worker's for <see cref="Lease"/> (30 s).
/// </summary>
public sealed record WebhookRetryPolicy(TimeSpan FirstRetry, TimeSpan MaxDelay, TimeSpan GiveUpAfter, TimeSpan DisableAfter)
{
    public static readonly WebhookRetryPolicy Default = new(TimeSpan.FromMinutes(1), TimeSpan.FromHours(6), TimeSpan.FromDays(3), TimeSpan.FromDays(3));

    /// <summary>How long an endpoint has to answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a post is left to the worker that claimed it: longer than <see cref="Timeout"/>.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The delay after the <paramref name="attempts"/>th failed attempt.</summary>
    public TimeSpan Backoff(int attempts, double? jitter = null) => Ports.Backoff.Delay(FirstRetry, MaxDelay, attempts, jitter);
}
