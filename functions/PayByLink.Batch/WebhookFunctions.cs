using Microsoft.Azure.Functions.Worker;
using PayByLink.Adapters;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Webhooks;

namespace PayByLink.Batch;

/// <summary>
/// Delivers webhooks from the <c>webhook-deliveries</c> queue: each message brings one endpoint up to date with one
/// request's or batch's events. Work that must wait for a retry is queued again, hidden until then; a message that
/// throws is retried by the host (host.json) and then set aside on the poison queue.
/// </summary>
public sealed class WebhookFunctions(DeliverWebhooks deliver, IWebhookQueue queue)
{
    [Function("DeliverWebhooks")]
    public async Task Deliver(
        [QueueTrigger(StorageNames.WebhookQueue, Connection = PayByLinkServices.StorageConnection)] string message,
        CancellationToken cancellationToken)
    {
        var work = WebhookWorkJson.Read(message);
        var result = await deliver.ExecuteAsync(work, cancellationToken);
        if (!result.Finished)
        {
            await queue.EnqueueAsync(work, result.RetryAfter, cancellationToken);
        }
    }
}
