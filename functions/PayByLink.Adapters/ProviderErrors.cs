using PayByLink.Core.Delivery;

namespace PayByLink.Adapters;

/// <summary>
/// Which provider failures are worth retrying. Throttling, timeouts and server errors pass; a rejected
/// recipient or a bad request will fail the same way again, so they fail at once.
/// </summary>
public static class ProviderErrors
{
    public static SendOutcome Classify(int httpStatus, string? errorCode, string? message)
    {
        var code = string.IsNullOrWhiteSpace(errorCode) ? $"http_{httpStatus}" : errorCode;
        var reason = string.IsNullOrWhiteSpace(message) ? $"The provider answered {httpStatus}." : message;
        // A refused credential is the operator's to fix, not the recipient's fault: retry, and dead-letter if it lasts.
        return httpStatus is 0 or 401 or 403 or 408 or 429 || httpStatus >= 500
            ? SendOutcome.Transient(code, reason)
            : SendOutcome.Permanent(code, reason);
    }
}
