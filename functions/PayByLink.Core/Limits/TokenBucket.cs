namespace PayByLink.Core.Limits;

/// <summary>
/// A token bucket: it holds up to a burst of tokens, refilled continuously at a rate per second, and each request takes
/// one. The rate and burst are given on each take, so a bucket follows its merchant's settings and this instance's share.
/// </summary>
public sealed class TokenBucket(DateTimeOffset created)
{
    private readonly Lock _lock = new();
    private double _tokens = double.NaN;
    private DateTimeOffset _at = created;

    public RateDecision TryTake(double ratePerSecond, double burst, DateTimeOffset now)
    {
        lock (_lock)
        {
            var elapsed = Math.Max(0, (now - _at).TotalSeconds);
            _tokens = double.IsNaN(_tokens) ? burst : Math.Min(burst, _tokens + elapsed * ratePerSecond);
            _at = now > _at ? now : _at;
            var allowed = _tokens >= 1;
            if (allowed)
            {
                _tokens -= 1;
            }

            var untilNext = allowed || ratePerSecond <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / ratePerSecond);
            var untilFull = ratePerSecond <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((burst - _tokens) / ratePerSecond);
            return new RateDecision(allowed, (int)Math.Floor(_tokens), untilNext, untilFull);
        }
    }
}

/// <summary>A bucket's answer: whether the request may go, the whole tokens left, when the next one comes, when it is full.</summary>
public readonly record struct RateDecision(bool Allowed, int Remaining, TimeSpan RetryAfter, TimeSpan UntilFull);
