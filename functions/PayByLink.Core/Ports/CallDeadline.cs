namespace PayByLink.Core.Ports;

/// <summary>
/// One deadline for everything a call does with storage: set by a host around an HTTP call, read by the storage
/// clients before each try, so a call that meets a slow or silent storage answers when its deadline comes, however
/// many storage calls it makes, instead of once per storage call.
/// </summary>
public static class CallDeadline
{
    /// <summary>How long an API call may wait on storage in all: it answers within 20 seconds, 503 at worst.</summary>
    public static readonly TimeSpan ForApiCall = TimeSpan.FromSeconds(18);

    private static readonly AsyncLocal<Deadline?> Current = new();

    private sealed record Deadline(TimeProvider Clock, DateTimeOffset At);

    /// <summary>Sets the deadline for the rest of this flow (and what it starts), until disposed.</summary>
    public static IDisposable Start(TimeProvider clock, TimeSpan limit)
    {
        var previous = Current.Value;
        Current.Value = new Deadline(clock, clock.GetUtcNow() + limit);
        return new Restore(previous);
    }

    /// <summary>The time left before the flow's deadline; null when it has none (a worker's flow).</summary>
    public static TimeSpan? Remaining => Current.Value is { } deadline ? deadline.At - deadline.Clock.GetUtcNow() : null;

    /// <summary>
    /// Waits for work done for this call by another flow (a shared writer's transaction), no longer than the call's
    /// deadline: past it, the call fails as unavailable (the work may still be done, as any write whose answer was lost).
    /// </summary>
    public static async Task WaitAsync(Task work, CancellationToken cancellationToken)
    {
        if (Current.Value is not { } deadline)
        {
            await work.WaitAsync(cancellationToken);
            return;
        }

        var left = deadline.At - deadline.Clock.GetUtcNow();
        try
        {
            await work.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, deadline.Clock, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new StorageUnavailableException("Storage did not answer a shared write within the call's deadline.", e);
        }
    }

    /// <summary>
    /// Starts work that outlives the call that started it and serves others too (a partition's flusher, a pacer, a later
    /// check) without the call's deadline, or anything else of the call's context.
    /// </summary>
    public static Task StartDetached(Func<Task> work)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(work);
        }
    }

    private sealed class Restore(Deadline? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
