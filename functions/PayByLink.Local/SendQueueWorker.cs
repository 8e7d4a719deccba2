using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PayByLink.Adapters;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;

namespace PayByLink.Local;

/// <summary>
/// The local stand-in for the Notify app's Service Bus triggers: takes send messages off one Storage Queue (a channel's
/// single links, or its batch lines) and
/// hands each to <see cref="DeliverSend"/>, up to 256 at once. A message is hidden while it is worked on (30 seconds, renewed
/// every 10, so one whose worker died comes back within 30 seconds); a retry hides it for the
/// backoff; past the policy's delivery count it moves to the poison queue and its
/// record says failed, like Service Bus dead-lettering.
/// </summary>
public sealed partial class SendQueueWorker(
    string queueName, StorageClients storage, DeliverSend deliver, RetryPolicy retries, ILogger<SendQueueWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IdlePause = TimeSpan.FromMilliseconds(250);
    private const int ReceiveSize = 32;
    // A send spends most of its time waiting on storage (four or five requests in turn), so many are worked on at
    // once: with 64, the emulator's two cores were a fifth idle.
    private const int MaxWorking = 8 * ReceiveSize;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = storage.Queues.GetQueueClient(queueName);
        var poison = storage.Queues.GetQueueClient(queueName + StorageNames.PoisonSuffix);
        var working = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // The next batch is fetched as soon as there is room for it, so storage is never left waiting on the
                // slowest message of a batch.
                working.RemoveAll(t => t.IsCompleted);
                if (working.Count > MaxWorking - ReceiveSize)
                {
                    await Task.WhenAny(working);
                    continue;
                }

                QueueMessage[] messages;
                try
                {
                    messages = (await queue.ReceiveMessagesAsync(ReceiveSize, Visibility, stoppingToken)).Value;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogQueueError(e, queueName);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                    continue;
                }

                if (messages.Length == 0)
                {
                    await (working.Count == 0 ? Task.Delay(IdlePause, stoppingToken) : Task.WhenAny(working));
                    continue;
                }

                working.AddRange(messages.Select(m => HandleLoggedAsync(queue, poison, m, stoppingToken)));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(working);
    }

    private async Task HandleLoggedAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await HandleAsync(queue, poison, message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The message stays on the queue and comes back when its visibility ends.
            LogQueueError(e, queueName);
        }
        catch (OperationCanceledException)
        {
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
            await MoveToPoisonAsync(queue, poison, message.MessageId, message.PopReceipt, message.Body.ToString(), cancellationToken);
            return;
        }

        var hidden = new HiddenMessage(queue, message, Visibility, cancellationToken);
        try
        {
            var result = await deliver.ExecuteAsync(send, attempt, isLast, cancellationToken);
            await hidden.DisposeAsync();
            if (result.DeadLetter)
            {
                await MoveToPoisonAsync(queue, poison, message.MessageId, hidden.Receipt, message.Body.ToString(), cancellationToken);
            }
            else if (result.Finished)
            {
                await queue.DeleteMessageAsync(message.MessageId, hidden.Receipt, cancellationToken);
            }
            else if (result.Throttled)
            {
                // The same attempt again after the provider's pause: a fresh copy, so the delivery count does not grow.
                await queue.SendMessageAsync(message.Body.ToString(), visibilityTimeout: result.RetryAfter, cancellationToken: cancellationToken);
                await queue.DeleteMessageAsync(message.MessageId, hidden.Receipt, cancellationToken);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, hidden.Receipt, visibilityTimeout: result.RetryAfter, cancellationToken: cancellationToken);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            await hidden.DisposeAsync();
            LogDeliveryError(e, send.SendId, attempt);
            if (isLast)
            {
                await deliver.RecordDeadLetteredAsync(send, $"Undeliverable after {attempt} deliveries ({e.GetType().Name}).", cancellationToken);
                await MoveToPoisonAsync(queue, poison, message.MessageId, hidden.Receipt, message.Body.ToString(), cancellationToken);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, hidden.Receipt, visibilityTimeout: retries.Backoff(attempt),
                    cancellationToken: cancellationToken);
            }
        }
        finally
        {
            await hidden.DisposeAsync();
        }
    }

    private static async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, string messageId, string receipt, string body,
        CancellationToken cancellationToken)
    {
        await poison.SendMessageAsync(body, cancellationToken);
        await queue.DeleteMessageAsync(messageId, receipt, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading queue {Queue} failed")]
    private partial void LogQueueError(Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} on {Queue} is not a send message; moved to the poison queue")]
    private partial void LogUnreadable(string queue, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering send {SendId} failed on delivery {Attempt}")]
    private partial void LogDeliveryError(Exception exception, string sendId, int attempt);
}
