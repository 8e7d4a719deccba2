using PayByLink.Core.Delivery;
using PayByLink.Core.Telemetry;

namespace PayByLink.Adapters;

/// <summary>
/// Which provider failures are worth retrying, and what is said of them. Throttling, timeouts and server errors
/// pass; a rejected recipient or a bad request will fail the same way again, so they fail at once. The record (and
/// so the merchant) gets the provider's code and a fixed text; the provider's own message, which may repeat the
/// recipient, goes only to the trace, masked.
/// </summary>
public static class ProviderErrors
{
    public static SendOutcome Classify(int httpStatus, string? errorCode, string? message)
    {
        var code = string.IsNullOrWhiteSpace(errorCode) ? $"http_{httpStatus}" : errorCode;
        PayByLinkTelemetry.ProviderError(code, httpStatus, message);
        // A refused credential is the operator's to fix, not the recipient's fault: retry, and dead-letter if it lasts.
        return httpStatus is 0 or 401 or 403 or 408 or 429 || httpStatus >= 500
            ? SendOutcome.Transient(code, $"The provider could not take the message just now (HTTP {httpStatus}).")
            : SendOutcome.Permanent(code, $"The provider refused the message (HTTP {httpStatus}, {code}).");
    }
}
