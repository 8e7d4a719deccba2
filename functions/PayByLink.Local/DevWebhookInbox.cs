using System.Collections.Concurrent;

namespace PayByLink.Local;

/// <summary>What the built-in receiver got: the latest 500 posts, in memory.</summary>
public sealed class DevWebhookInbox
{
    private const int Kept = 500;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    public void Add(ReceivedWebhook received)
    {
        _received.Enqueue(received);
        while (_received.Count > Kept && _received.TryDequeue(out _))
        {
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<ReceivedWebhook> List() => _received.Reverse().ToList();
}
