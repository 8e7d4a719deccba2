namespace PayByLink.Testing.InMemory;

/// <summary>
/// A queue in memory as Storage queues behave: a received message is hidden for its visibility and counts one more
/// dequeue; it comes back unless deleted; a message may be sent hidden for a delay. Time is the given clock's.
/// </summary>
public sealed class InMemoryQueue<T>(TimeProvider clock)
{
    private readonly object _gate = new();
    private readonly List<Message> _messages = [];
    private long _nextId;

    public sealed class Message(string id, T body, int attempt)
    {
        public string Id { get; } = id;

        public T Body { get; } = body;

        /// <summary>The attempt the sender gave it (a retry's number), not counting its redeliveries.</summary>
        public int Attempt { get; } = attempt;

        public int DequeueCount { get; internal set; }

        public DateTimeOffset VisibleAt { get; internal set; }
    }

    /// <summary>Messages set aside (poisoned or dead-lettered).</summary>
    public List<T> Poisoned { get; } = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    /// <summary>When the next hidden message comes back; null when none is hidden.</summary>
    public DateTimeOffset? NextVisibleAt
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count == 0 ? null : _messages.Min(m => m.VisibleAt);
            }
        }
    }

    public void Send(T body, TimeSpan delay = default, int attempt = 1)
    {
        lock (_gate)
        {
            _messages.Add(new Message($"m{++_nextId}", body, attempt) { VisibleAt = clock.GetUtcNow() + delay });
        }
    }

    /// <summary>The first visible message, hidden for <paramref name="visibility"/>; null when none is visible.</summary>
    public Message? Receive(TimeSpan visibility)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var message = _messages.FirstOrDefault(m => m.VisibleAt <= now);
            if (message is not null)
            {
                message.DequeueCount++;
                message.VisibleAt = now + visibility;
            }

            return message;
        }
    }

    public void Delete(Message message)
    {
        lock (_gate)
        {
            _messages.Remove(message);
        }
    }

    public void Hide(Message message, TimeSpan delay)
    {
        lock (_gate)
        {
            message.VisibleAt = clock.GetUtcNow() + delay;
        }
    }

    public void Poison(Message message)
    {
        lock (_gate)
        {
            _messages.Remove(message);
            Poisoned.Add(message.Body);
        }
    }
}
