using PayByLink.Core.Delivery;
using PayByLink.Core.Ports;

namespace PayByLink.Testing.InMemory;

/// <summary>The send queues in memory (one for all channels), settled as a host's queue settles them.</summary>
public sealed class InMemorySendQueue(TimeProvider clock) : ISendMessagePublisher
{
    /// <summary>How long a received message stays hidden before it comes back to another receiver.</summary>
    public static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    public InMemoryQueue<SendMessage> Queue { get; } = new(clock);

    /// <summary>Every message ever published, in order.</summary>
    public List<SendMessage> Published { get; } = [];

    public Task PublishAsync(IReadOnlyList<SendMessage> messages, CancellationToken cancellationToken)
    {
        lock (Published)
        {
            Published.AddRange(messages);
        }

        foreach (var message in messages)
        {
            Queue.Send(message);
        }

        return Task.CompletedTask;
    }

    public Task<long?> CountWaitingAsync(CancellationToken cancellationToken) => Task.FromResult<long?>(Queue.Count);

    /// <summary>Receives one visible message and hands it to <paramref name="receive"/>; false when none is visible.</summary>
    public async Task<bool> DeliverOneAsync(ReceiveSendMessage receive, CancellationToken cancellationToken = default)
    {
        if (Queue.Receive(Visibility) is not { } message)
        {
            return false;
        }

        await receive.ExecuteAsync(SendMessageJson.Serialize(message.Body), message.Id, message.Attempt + message.DequeueCount - 1,
            new Settlement(Queue, message), cancellationToken);
        return true;
    }

    private sealed class Settlement(InMemoryQueue<SendMessage> queue, InMemoryQueue<SendMessage>.Message message) : ISendSettlement
    {
        public Task CompleteAsync(CancellationToken cancellationToken)
        {
            queue.Delete(message);
            return Task.CompletedTask;
        }

        public Task RetryAsync(SendMessage send, int attempt, TimeSpan delay, bool sameAttempt, CancellationToken cancellationToken)
        {
            queue.Delete(message);
            queue.Send(send, delay, attempt);
            return Task.CompletedTask;
        }

        public Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken)
        {
            queue.Poison(message);
            return Task.CompletedTask;
        }
    }
}
