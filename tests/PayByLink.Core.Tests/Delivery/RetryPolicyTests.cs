using PayByLink.Core.Delivery;

namespace PayByLink.Core.Tests.Delivery;

public class RetryPolicyTests
{
    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(10, 600)]
    public void Backoff_doubles_up_to_the_cap(int attempt, double ceilingSeconds) =>
        RetryPolicy.Default.Backoff(attempt, jitter: 1.0).ShouldBe(TimeSpan.FromSeconds(ceilingSeconds));

    [Fact]
    public void Jitter_spreads_retries_below_the_ceiling() =>
        RetryPolicy.Default.Backoff(3, jitter: 0.25).ShouldBe(TimeSpan.FromSeconds(10));
}
