namespace PayByLink.Core.Webhooks;

/// <summary>The queue of delivery work, in Azure a Storage queue the Batch app's trigger reads; locally the runtime's worker.</summary>
public interface IWebhookQueue
{
    Task EnqueueAsync(WebhookWork work, TimeSpan delay, CancellationToken cancellationToken);
}
