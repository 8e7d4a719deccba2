using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;
using PayByLink.Core.Domain;
using PayByLink.Core.Limits;
using PayByLink.Core.Limits.Ports;

namespace PayByLink.Core.Tests.Limits;

public class RateLimitTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_bucket_lets_a_burst_through_then_refuses_until_it_refills()
    {
        var bucket = new TokenBucket(Start);

        var burst = Enumerable.Range(0, 10).Select(_ => bucket.TryTake(5, 10, Start)).ToList();
        var refused = bucket.TryTake(5, 10, Start);

        burst.ShouldAllBe(d => d.Allowed);
        burst[^1].Remaining.ShouldBe(0);
        refused.Allowed.ShouldBeFalse();
        refused.RetryAfter.ShouldBe(TimeSpan.FromSeconds(0.2));
        refused.UntilFull.ShouldBe(TimeSpan.FromSeconds(2));
        bucket.TryTake(5, 10, Start.AddSeconds(0.2)).Allowed.ShouldBeTrue();
        bucket.TryTake(5, 10, Start.AddSeconds(0.2)).Allowed.ShouldBeFalse();
        bucket.TryTake(5, 10, Start.AddMinutes(5)).Remaining.ShouldBe(9, "a bucket never holds more than its burst");
    }

    [Fact]
    public void Each_key_has_its_own_bucket_with_its_merchants_limits()
    {
        var clock = new FakeTimeProvider(Start);
        var limiter = new ApiRateLimiter(new MemoryCache(new MemoryCacheOptions()), new OneInstance(), PlatformLimits.Standard, clock);
        var merchant = new Merchant("m-1", "M", "GBP", 100m, OwnLimits: new MerchantLimits(1, 3, 10, 10));

        Enumerable.Range(0, 3).Select(_ => limiter.Take(merchant, "key-a").Decision.Allowed).ShouldAllBe(a => a);
        limiter.Take(merchant, "key-a").Decision.Allowed.ShouldBeFalse();
        limiter.Take(merchant, "key-b").Decision.Allowed.ShouldBeTrue("another key has its own bucket");
        clock.Advance(TimeSpan.FromSeconds(1));
        limiter.Take(merchant, "key-a").Decision.Allowed.ShouldBeTrue();
    }

    [Fact]
    public void Each_instance_takes_an_equal_share_of_the_rate_and_burst()
    {
        var limiter = new ApiRateLimiter(new MemoryCache(new MemoryCacheOptions()), new Instances(4), PlatformLimits.Standard, new FakeTimeProvider(Start));

        limiter.Share(MerchantLimits.Default).ShouldBe((12.5, 25));
        limiter.Share(new MerchantLimits(2, 2, 1, 1)).ShouldBe((0.5, 1), "at least one request at once");
    }

    [Fact]
    public void A_merchant_without_limits_of_its_own_has_the_platforms()
    {
        var platform = new PlatformLimits(MerchantLimits.Default with { RequestsPerSecond = 500 });
        var own = new MerchantLimits(1, 2, 3, 4);

        platform.For(new Merchant("m-1", "M", "GBP", 100m)).RequestsPerSecond.ShouldBe(500);
        platform.For(new Merchant("m-2", "M", "GBP", 100m, OwnLimits: own)).ShouldBe(own);
    }

    [Theory]
    [InlineData(0, 100, 1, 1)]
    [InlineData(50, 0, 1, 1)]
    [InlineData(50, 100, -1, 1)]
    [InlineData(50, 100, 1, 10_000_001)]
    public void Limits_out_of_range_are_refused(int rate, int burst, int sms, int emails) =>
        new MerchantLimits(rate, burst, sms, emails).Problem().ShouldNotBeNull();

    private sealed class Instances(int count) : ILiveInstances
    {
        public int Count => count;
    }
}
