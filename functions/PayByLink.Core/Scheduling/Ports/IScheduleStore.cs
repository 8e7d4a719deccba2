namespace PayByLink.Core.Scheduling;

/// <summary>
/// Each open request's next scheduled event (and each ended request's erasure, each batch's expiry and forgetting), found
/// by the hour it falls due; and how far the timer has got.
/// </summary>
public interface IScheduleStore
{
    Task AddAsync(ScheduledEvent scheduled, CancellationToken cancellationToken);

    /// <summary>Events due at or before <paramref name="until"/> in the hours from <paramref name="fromHour"/> on.</summary>
    Task<IReadOnlyList<ScheduledEvent>> DueAsync(DateTimeOffset fromHour, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Removes the event; removing one that is gone already is not an error.</summary>
    Task RemoveAsync(ScheduledEvent scheduled, CancellationToken cancellationToken);

    /// <summary>Whether the event is scheduled (and not yet removed).</summary>
    Task<bool> ContainsAsync(ScheduledEvent scheduled, CancellationToken cancellationToken);

    /// <summary>The start of the earliest hour that may still hold due events; null before the first run.</summary>
    Task<DateTimeOffset?> CheckpointAsync(CancellationToken cancellationToken);

    Task SaveCheckpointAsync(DateTimeOffset hour, CancellationToken cancellationToken);
}
