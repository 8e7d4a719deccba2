namespace PayByLink.Core.Batches;

/// <summary>
/// How far a batch may run ahead of its senders: a chunk worker publishes no more while over
/// <see cref="MaxSendsWaiting"/> sends wait on the queues (so a file goes on the queues no faster than it is sent, a
/// single create is never queued behind a whole file, and the queues stay short), but waits no longer than
/// <see cref="MaxWait"/> before it writes one more group (a stalled sender slows a batch to a trickle, not to a stop).
/// </summary>
public sealed record SendersBacklog(int MaxSendsWaiting, TimeSpan MaxWait)
{
    public static readonly SendersBacklog Default = new(1000, TimeSpan.FromSeconds(5));
}
