using PayByLink.Core.Limits;

namespace PayByLink.Benchmarks;

/// <summary>
/// The benchmark merchants' limits: the highest the platform allows, so that the figures measure the work of each call
/// (the rate check included) and not the default rate of 50 requests a second.
/// </summary>
public static class BenchmarkLimits
{
    public static readonly MerchantLimits Highest = new(MerchantLimits.MaxRequestsPerSecond, MerchantLimits.MaxRequestsPerSecond * 10,
        MerchantLimits.MaxDailyMessages, MerchantLimits.MaxDailyMessages);
}
