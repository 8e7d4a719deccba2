namespace PayByLink.Core.Ports;

/// <summary>
/// The one way to retry a conditional write: each attempt reads what it changes, changes it and writes it with the
/// version (ETag) it read; an attempt that finds it moved on (<see cref="WriteAttempt{T}.Conflict"/>) starts again
/// from a fresh read. After <see cref="MaxAttempts"/> conflicts in a row the write is abandoned with
/// <see cref="WriteConflictException"/>, which a queue message turns into a later retry.
/// </summary>
public static class ConditionalWrite
{
    public const int MaxAttempts = 20;

    public static async Task<T> RetryAsync<T>(string subject, Func<int, Task<WriteAttempt<T>>> attempt)
    {
        for (var number = 1; number <= MaxAttempts; number++)
        {
            if (await attempt(number) is { Done: true } done)
            {
                return done.Value;
            }
        }

        throw new WriteConflictException(subject, MaxAttempts);
    }
}
