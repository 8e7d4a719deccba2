using Microsoft.Extensions.Caching.Memory;
using PayByLink.Core.Domain;
using PayByLink.Core.Limits.Ports;

namespace PayByLink.Core.Limits;

/// <summary>
/// Each API key's request rate: a token bucket per key in this instance, holding this instance's share of the
/// merchant's rate and burst (an equal share of however many instances are serving, <see cref="ILiveInstances"/>), so
/// that a key's requests spread over instances by the platform's load balancing are held to the merchant's limits.
/// </summary>
public sealed class ApiRateLimiter(IMemoryCache cache, ILiveInstances instances, PlatformLimits platform, TimeProvider clock)
{
    /// <summary>A bucket unused this long is dropped; the next request starts a full one.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    /// <summary>Takes one request from the key's bucket: the answer, and the merchant's limits it was measured against.</summary>
    public (RateDecision Decision, MerchantLimits Limits) Take(Merchant merchant, string keyId)
    {
        var limits = platform.For(merchant);
        var (rate, burst) = Share(limits);
        var now = clock.GetUtcNow();
        var bucket = cache.GetOrCreate(("rate", keyId), entry =>
        {
            entry.SlidingExpiration = Idle;
            return new TokenBucket(now);
        })!;
        return (bucket.TryTake(rate, burst, now), limits);
    }

    /// <summary>This instance's share of a merchant's rate and burst (at least one request).</summary>
    public (double Rate, double Burst) Share(MerchantLimits limits)
    {
        var count = Math.Max(1, instances.Count);
        return ((double)limits.RequestsPerSecond / count, Math.Max(1, (double)limits.Burst / count));
    }
}
