using PayByLink.Core.Webhooks;

namespace PayByLink.Testing.InMemory;

/// <summary>The webhook queue in memory.</summary>
public sealed class InMemoryWebhookQueue(TimeProvider clock) : IWebhookQueue
{
    public InMemoryQueue<WebhookWork> Queue { get; } = new(clock);

    public Task EnqueueAsync(WebhookWork work, TimeSpan delay, CancellationToken cancellationToken)
    {
        Queue.Send(work, delay);
        return Task.CompletedTask;
    }
}
