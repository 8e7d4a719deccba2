using PayByLink.Core.Webhooks;

namespace PayByLink.Adapters.Storage;

/// <summary>Delivery work as messages on the <c>webhook-deliveries</c> queue, hidden for the delay asked.</summary>
public sealed class StorageQueueWebhookQueue(StorageClients storage) : IWebhookQueue
{
    public async Task EnqueueAsync(WebhookWork work, TimeSpan delay, CancellationToken cancellationToken) =>
        await storage.Queues.GetQueueClient(StorageNames.WebhookQueue).SendMessageAsync(WebhookWorkJson.Write(work),
            visibilityTimeout: delay > MaxDelay ? MaxDelay : delay, cancellationToken: cancellationToken);

    /// <summary>A queue message may be hidden for at most 7 days; work is never delayed that long.</summary>
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(6);
}
