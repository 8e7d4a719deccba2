using System.Collections.Concurrent;
using PayByLink.Core.Domain;
using PayByLink.Core.Limits.Ports;

namespace PayByLink.Testing.InMemory;

public sealed class InMemoryMessageCounts : IMessageCounts
{
    private readonly ConcurrentDictionary<(string, DateOnly, Channel), long> _counts = new();

    public Task<IReadOnlyDictionary<Channel, long>> ReadAsync(string merchantId, DateOnly day, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<Channel, long>>(_counts.Where(c => c.Key.Item1 == merchantId && c.Key.Item2 == day)
            .ToDictionary(c => c.Key.Item3, c => c.Value));

    public Task AddAsync(string merchantId, DateOnly day, IReadOnlyDictionary<Channel, long> counts, CancellationToken cancellationToken)
    {
        foreach (var (channel, count) in counts)
        {
            _counts.AddOrUpdate((merchantId, day, channel), count, (_, before) => before + count);
        }

        return Task.CompletedTask;
    }
}
