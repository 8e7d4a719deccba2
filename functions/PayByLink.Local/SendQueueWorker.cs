using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PayByLink.Adapters;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;

namespace PayByLink.Local;

/// <summary>
/// The local stand-in for the Notify app's Service Bus triggers: takes send messages off one Storage Queue and
/// hands each to <see cref="DeliverSend"/>. A message is hidden while it is worked on; a retry hides it for the
/// backoff; past the policy's delivery count it moves to the poison queue and its
/// record says failed, like Service Bus dead-lettering.
/// </summary>
public sealed partial class SendQueueWorker(
    string queueName, StorageClients storage, DeliverSend deliver, RetryPolicy retries, ILogger<SendQueueWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Visibility = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan IdlePause = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = storage.Queues.GetQueueClient(queueName);
        var poison = storage.Queues.GetQueueClient(queueName + StorageNames.PoisonSuffix);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var messages = (await queue.ReceiveMessagesAsync(32, Visibility, stoppingToken)).Value;
                if (messages.Length == 0)
                {
                    await Task.Delay(IdlePause, stoppingToken);
                    continue;
                }

                await Task.WhenAll(messages.Select(m => HandleAsync(queue, poison, m, stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogQueueError(e, queueName);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task HandleAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken cancellationToken)
    {
        var attempt = (int)message.DequeueCount;
        var isLast = attempt >= retries.MaxDeliveryCount;
        Core.Ports.SendMessage send;
        try
        {
            send = SendMessageJson.Deserialize(message.Body.ToString());
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException)
        {
            LogUnreadable(queueName, message.MessageId);
            await MoveToPoisonAsync(queue, poison, message, cancellationToken);
            return;
        }

        try
        {
            var result = await deliver.ExecuteAsync(send, attempt, isLast, cancellationToken);
            if (result.DeadLetter)
            {
                await MoveToPoisonAsync(queue, poison, message, cancellationToken);
            }
            else if (result.Finished)
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
            LogDeliveryError(e, send.SendId, attempt);
            if (isLast)
            {
                await deliver.RecordDeadLetteredAsync(send, $"Undeliverable after {attempt} deliveries: {e.Message}", cancellationToken);
                await MoveToPoisonAsync(queue, poison, message, cancellationToken);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: retries.Backoff(attempt),
                    cancellationToken: cancellationToken);
            }
        }
    }

    private static async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken cancellationToken)
    {
        await poison.SendMessageAsync(message.Body.ToString(), cancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading queue {Queue} failed")]
    private partial void LogQueueError(Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} on {Queue} is not a send message; moved to the poison queue")]
    private partial void LogUnreadable(string queue, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering send {SendId} failed on delivery {Attempt}")]
    private partial void LogDeliveryError(Exception exception, string sendId, int attempt);
}
