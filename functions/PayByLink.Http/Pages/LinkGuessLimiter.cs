using System.Threading.RateLimiting;

namespace PayByLink.Http.Pages;

/// <summary>
/// Slows down link guessing: each client address may open so many links that do not exist (a burst of
/// <see cref="Burst"/>, then <see cref="PerMinute"/> a minute) before it is refused for a while.
/// </summary>
public sealed class LinkGuessLimiter(bool trustForwardedFor = false, int burst = LinkGuessLimiter.Burst, int perMinute = LinkGuessLimiter.PerMinute)
    : IDisposable
{
    public const int Burst = 20;
    public const int PerMinute = 5;

    /// <summary>Set <c>Pages__TrustForwardedFor</c> where a platform proxy adds the client's address (App Service does).</summary>
    public const string TrustForwardedForSetting = "Pages:TrustForwardedFor";

    public bool TrustForwardedFor { get; } = trustForwardedFor;

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public bool IsBlocked(string client) => _limiter.GetStatistics(client)?.CurrentAvailablePermits <= 0;

    public void Miss(string client)
    {
        using var lease = _limiter.AttemptAcquire(client);
    }

    public void Dispose() => _limiter.Dispose();
}
