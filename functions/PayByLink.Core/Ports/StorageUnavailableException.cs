namespace PayByLink.Core.Ports;

/// <summary>
/// Storage refused, failed or did not answer within its deadline, after its retries: nothing is wrong with the
/// caller's request, and the same call may succeed once storage is back.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The outage in <paramref name="exception"/> or the exceptions it wraps, if it is one.</summary>
    public static StorageUnavailableException? In(Exception exception) => exception switch
    {
        StorageUnavailableException found => found,
        AggregateException aggregate => aggregate.InnerExceptions.Select(In).FirstOrDefault(e => e is not null),
        { InnerException: { } inner } => In(inner),
        _ => null,
    };
}
