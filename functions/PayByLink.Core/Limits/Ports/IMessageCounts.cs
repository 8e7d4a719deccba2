using PayByLink.Core.Domain;

namespace PayByLink.Core.Limits.Ports;

/// <summary>The messages a merchant's requests and batches have counted against its daily caps, by day and channel.</summary>
public interface IMessageCounts
{
    Task<IReadOnlyDictionary<Channel, long>> ReadAsync(string merchantId, DateOnly day, CancellationToken cancellationToken);

    Task AddAsync(string merchantId, DateOnly day, IReadOnlyDictionary<Channel, long> counts, CancellationToken cancellationToken);
}
