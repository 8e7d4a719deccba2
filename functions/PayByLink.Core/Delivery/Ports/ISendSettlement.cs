using PayByLink.Core.Ports;

namespace PayByLink.Core.Delivery;

/// <summary>How a host's queue settles a send message it received: its transport, and nothing of the policy.</summary>
public interface ISendSettlement
{
    /// <summary>Takes the message off its queue: the send is done.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Brings the send back after <paramref name="delay"/>: as its next attempt, or as the same one when the provider's
    /// rate, not the send, was at fault (<paramref name="sameAttempt"/>).
    /// </summary>
    Task RetryAsync(SendMessage send, int attempt, TimeSpan delay, bool sameAttempt, CancellationToken cancellationToken);

    /// <summary>Moves the message aside for an operator (Service Bus's dead-letter queue, a Storage queue's poison queue).</summary>
    Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken);
}
