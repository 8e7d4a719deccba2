namespace PayByLink.Core.Events;

/// <summary>The events of each request and batch, oldest first, as stored with their changes.</summary>
public interface IEventLog
{
    /// <summary>The events of one request or batch of the merchant, oldest first (none when it is not theirs).</summary>
    Task<IReadOnlyList<DomainEvent>> ListAsync(string merchantId, string subjectId, CancellationToken cancellationToken);
}
