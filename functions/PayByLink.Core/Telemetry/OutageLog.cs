using Microsoft.Extensions.Logging;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Telemetry;

/// <summary>
/// What the workers say while storage is out: one line per kind of failure per minute, with how many times it failed
/// ("queue send-sms unreadable: storage did not answer, 37 times in the last minute"), instead of a stack trace for
/// each. A failure that is not an outage is not counted here: its worker logs it in full.
/// </summary>
public sealed partial class OutageLog(ILogger<OutageLog> logger, TimeProvider clock)
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (DateTimeOffset LoggedAt, int Since)> _kinds = [];

    /// <summary>Counts <paramref name="exception"/> against <paramref name="failure"/> when it is a storage outage, logging
    /// at most once a period for that kind; false (nothing logged) when it is anything else.</summary>
    public bool Counted(string failure, Exception exception)
    {
        if (StorageUnavailableException.In(exception) is not { } outage)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        int? count;
        lock (_kinds)
        {
            var known = _kinds.TryGetValue(failure, out var kind);
            count = !known ? 0 : now - kind.LoggedAt >= Period ? kind.Since + 1 : null;
            _kinds[failure] = count is null ? kind with { Since = kind.Since + 1 } : (now, 0);
        }

        if (count == 0)
        {
            LogFirst(logger, failure, outage.Message);
        }
        else if (count is { } times)
        {
            LogCount(logger, failure, times, outage.Message);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failure}: storage did not answer ({Reason}); failures of this kind are counted and logged once a minute")]
    private static partial void LogFirst(ILogger logger, string failure, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failure}: storage did not answer, {Times} times in the last minute (last: {Reason})")]
    private static partial void LogCount(ILogger logger, string failure, int times, string reason);
}
