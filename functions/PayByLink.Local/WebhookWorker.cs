using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Webhooks;
using PayByLink.Core.Telemetry;

namespace PayByLink.Local;

/// <summary>
/// The local stand-in for the Batch app's webhook queue trigger: takes delivery work off the
/// <c>webhook-deliveries</c> queue and hands it to <see cref="DeliverWebhooks"/>, as the Batch app's host.json says: a
/// batch at a time, the next fetched when the work in hand falls to the new-batch threshold. Work that must wait (a retry's backoff) is hidden until then; a message that fails comes back
/// after host.json's visibility timeout, and one that fails its maximum dequeue count moves to the poison queue.
/// </summary>
public sealed partial class WebhookWorker(
    StorageClients storage, DeliverWebhooks deliver, QueueTriggerSettings trigger, OutageLog outages, TimeProvider clock, ILogger<WebhookWorker> logger)
    : BackgroundService
{
    /// <summary>
    /// How long work in hand stays hidden: longer than one work item usually takes (a few posts within their timeout),
    /// short enough that the work of a runtime that died comes back within a minute. Should a slow item outlast it, its
    /// posts are claimed, so a second worker on it posts nothing twice.
    /// </summary>
    private static readonly TimeSpan InHand = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan IdlePause = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = storage.Queues.GetQueueClient(StorageNames.WebhookQueue);
        var poison = storage.Queues.GetQueueClient(StorageNames.WebhookQueue + StorageNames.PoisonSuffix);
        var working = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // As the Functions host does: the next batch is fetched once the work in hand falls to the threshold.
                working.RemoveAll(t => t.IsCompleted);
                if (working.Count > trigger.NewBatchThreshold)
                {
                    await Task.WhenAny(working);
                    continue;
                }

                QueueMessage[] messages;
                try
                {
                    messages = (await queue.ReceiveMessagesAsync(trigger.BatchSize, InHand, stoppingToken)).Value;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    if (!outages.Counted("webhook queue unreadable", e))
                    {
                        LogQueueError(e);
                    }

                    await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
                    continue;
                }

                if (messages.Length == 0)
                {
                    await (working.Count == 0 ? Task.Delay(IdlePause, clock, stoppingToken) : Task.WhenAny(working));
                    continue;
                }

                working.AddRange(messages.Select(m => HandleAsync(queue, poison, m, stoppingToken)));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(working);
    }

    private async Task HandleAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            WebhookWork work;
            try
            {
                work = WebhookWorkJson.Read(message.Body.ToString());
            }
            catch (JsonException)
            {
                await poison.SendMessageAsync(message.Body.ToString(), cancellationToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                return;
            }

            var result = await deliver.ExecuteAsync(work, cancellationToken);
            if (result.Finished)
            {
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: result.RetryAfter, cancellationToken: cancellationToken);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The message comes back after host.json's visibility timeout; one that keeps failing is set aside.
            if (!outages.Counted("webhook work not done", e))
            {
                LogWorkFailed(e, message.MessageId);
            }

            if (message.DequeueCount >= trigger.MaxDequeueCount)
            {
                await poison.SendMessageAsync(message.Body.ToString(), CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: trigger.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the webhook queue failed")]
    private partial void LogQueueError(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook work {MessageId} failed; it comes back later")]
    private partial void LogWorkFailed(Exception exception, string messageId);
}
