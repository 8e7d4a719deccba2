namespace PayByLink.Core.Ports;

/// <summary>
/// The one backoff formula: exponential from <c>first</c>, doubling per attempt up to <c>max</c>, with full jitter
/// (a random delay between nothing and that step, so that retries of many failures spread out), never under 10 ms.
/// </summary>
public static class Backoff
{
    public static TimeSpan Delay(TimeSpan first, TimeSpan max, int attempt, double? jitter = null)
    {
        var step = Math.Min(max.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromMilliseconds(Math.Max(10, step * (jitter ?? Random.Shared.NextDouble())));
    }
}
