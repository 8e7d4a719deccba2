using PayByLink.Core.Scheduling;

namespace PayByLink.Testing.InMemory;

/// <summary>The schedule in memory: an event is known by its due second, merchant, request and purpose, as in its table.</summary>
public sealed class InMemorySchedule : IScheduleStore
{
    private readonly VersionedRows<(long DueSecond, string MerchantId, string RequestId, string Purpose), ScheduledEvent> _events = new();
    private DateTimeOffset? _checkpoint;

    private static (long, string, string, string) Key(ScheduledEvent e) => (e.DueAt.ToUnixTimeSeconds(), e.MerchantId, e.RequestId, e.Purpose);

    public IReadOnlyList<ScheduledEvent> All => _events.Where(_ => true).Select(r => r.Value).ToList();

    public Task AddAsync(ScheduledEvent scheduled, CancellationToken cancellationToken)
    {
        _events.Upsert(Key(scheduled), scheduled);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ScheduledEvent>> DueAsync(DateTimeOffset fromHour, DateTimeOffset until, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ScheduledEvent>>(_events.Where(k => k.DueSecond >= fromHour.ToUnixTimeSeconds()).Select(r => r.Value)
            .Where(e => e.DueAt <= until).OrderBy(e => e.DueAt).ToList());

    public Task RemoveAsync(ScheduledEvent scheduled, CancellationToken cancellationToken)
    {
        _events.Remove(Key(scheduled));
        return Task.CompletedTask;
    }

    public Task<bool> ContainsAsync(ScheduledEvent scheduled, CancellationToken cancellationToken) => Task.FromResult(_events.Find(Key(scheduled)) is not null);

    public Task<DateTimeOffset?> CheckpointAsync(CancellationToken cancellationToken) => Task.FromResult(_checkpoint);

    public Task SaveCheckpointAsync(DateTimeOffset hour, CancellationToken cancellationToken)
    {
        _checkpoint = hour;
        return Task.CompletedTask;
    }
}
