using System.Collections.Concurrent;
using PayByLink.Core.Limits.Ports;

namespace PayByLink.Testing.InMemory;

public sealed class InMemoryGuessCounts : IGuessCounts
{
    private readonly ConcurrentDictionary<(string, long), long> _counts = new();

    public Task<long> CountAsync(string client, long window, CancellationToken cancellationToken) =>
        Task.FromResult(_counts.GetValueOrDefault((client, window)));

    public Task AddAsync(string client, long window, CancellationToken cancellationToken)
    {
        _counts.AddOrUpdate((client, window), 1, (_, before) => before + 1);
        return Task.CompletedTask;
    }
}
