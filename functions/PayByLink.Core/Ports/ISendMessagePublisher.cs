namespace PayByLink.Core.Ports;

/// <summary>Puts send messages on the queue of their channel.</summary>
public interface ISendMessagePublisher
{
    Task PublishAsync(IReadOnlyList<SendMessage> messages, CancellationToken cancellationToken);

    /// <summary>
    /// About how many published messages the senders have yet to take off the queues; null where the broker is
    /// not asked (Service Bus holds a backlog at the same cost per message).
    /// </summary>
    Task<long?> CountWaitingAsync(CancellationToken cancellationToken);
}
