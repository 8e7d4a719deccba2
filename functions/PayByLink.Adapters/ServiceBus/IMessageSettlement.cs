namespace PayByLink.Adapters.ServiceBus;

/// <summary>How a received Service Bus message is settled: the Functions trigger's message actions, or a test's.</summary>
public interface IMessageSettlement
{
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Gives the message back to its queue at once, one delivery more.</summary>
    Task AbandonAsync(CancellationToken cancellationToken);

    Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken);
}
