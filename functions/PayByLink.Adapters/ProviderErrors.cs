using PayByLink.Core.Delivery;
using PayByLink.Core.Telemetry;

namespace PayByLink.Adapters;

/// <summary>
/// Which provider failures are worth retrying, and what is said of them. Throttling (429) waits out the provider's
/// <c>Retry-After</c> without spending an attempt; timeouts and server errors are retried; a rejected recipient or a bad request will fail the same way again, so they fail at once. The record (and
/// so the merchant) gets the provider's code and a fixed text; the provider's own message, which may repeat the
/// recipient, goes only to the trace, masked.
/// </summary>
public static class ProviderErrors
{
    /// <summary>How long to hold off when the provider throttles without saying.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(10);

    /// <param name="retryAfter">The response's <c>Retry-After</c> header, if it had one (seconds, or an HTTP date).</param>
    /// <param name="now">The sender's clock, which an HTTP date is counted from.</param>
    public static SendOutcome Classify(int httpStatus, string? errorCode, string? message, string? retryAfter, DateTimeOffset now)
    {
        var code = string.IsNullOrWhiteSpace(errorCode) ? $"http_{httpStatus}" : errorCode;
        PayByLinkTelemetry.ProviderError(code, httpStatus, message);
        if (httpStatus == 429)
        {
            return SendOutcome.Throttled(code, RetryAfter(retryAfter, now));
        }

        // A refused credential is the operator's to fix, not the recipient's fault: retry, and dead-letter if it lasts.
        return httpStatus is 0 or 401 or 403 or 408 || httpStatus >= 500
            ? SendOutcome.Transient(code, $"The provider could not take the message just now (HTTP {httpStatus}).")
            : SendOutcome.Permanent(code, $"The provider refused the message (HTTP {httpStatus}, {code}).");
    }

    /// <summary>A <c>Retry-After</c> value as a wait: delta-seconds or an HTTP date; missing or unreadable, the default.</summary>
    public static TimeSpan RetryAfter(string? header, DateTimeOffset now)
    {
        if (int.TryParse(header, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 3600));
        }

        return DateTimeOffset.TryParseExact(header, "r", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var at) && at > now
            ? TimeSpan.FromSeconds(Math.Min(3600, Math.Ceiling((at - now).TotalSeconds)))
            : DefaultRetryAfter;
    }
}
