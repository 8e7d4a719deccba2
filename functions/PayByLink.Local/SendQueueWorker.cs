using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;
using PayByLink.Core.Telemetry;

namespace PayByLink.Local;

/// <summary>
/// The local stand-in for the Notify app's Service Bus triggers: takes send messages off one Storage Queue (a channel's
/// single links, or its batch lines) and hands each to <see cref="ReceiveSendMessage"/>, up to 256 at once, settling it
/// as that says on the queue. A message is hidden while it is worked on (30 seconds, renewed every 10, so one whose
/// worker died comes back within 30 seconds); a retry hides it for its delay; a dead-lettered one moves to the poison
/// queue.
/// </summary>
public sealed partial class SendQueueWorker(
    string queueName, StorageClients storage, ReceiveSendMessage receive, OutageLog outages, TimeProvider clock, ILogger<SendQueueWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IdlePause = TimeSpan.FromMilliseconds(250);
    /// <summary>As many as the Notify app's host.json lets its Service Bus triggers take at once (<c>maxConcurrentCalls</c>).</summary>
    public const int ReceiveSize = 32;
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
                    if (!outages.Counted($"queue {queueName} unreadable", e))
                    {
                        LogQueueError(e, queueName);
                    }

                    await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
                    continue;
                }

                if (messages.Length == 0)
                {
                    await (working.Count == 0 ? Task.Delay(IdlePause, clock, stoppingToken) : Task.WhenAny(working));
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
            if (!outages.Counted($"queue {queueName} message not settled", e))
            {
                LogQueueError(e, queueName);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HandleAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken cancellationToken)
    {
        await using var hidden = new HiddenMessage(queue, message, Visibility, clock, cancellationToken);
        await receive.ExecuteAsync(message.Body.ToString(), message.MessageId, (int)message.DequeueCount,
            new Settlement(queue, poison, message, hidden), cancellationToken);
    }

    /// <summary>
    /// Settling on a Storage queue: delete, hide for the delay (a retry of the next attempt: the dequeue count is the
    /// attempt), send a fresh copy (the same attempt again), or move to the poison queue. Each first stops the message's
    /// visibility renewals, and uses the receipt the last one left.
    /// </summary>
    private sealed class Settlement(QueueClient queue, QueueClient poison, QueueMessage message, HiddenMessage hidden) : ISendSettlement
    {
        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            await hidden.DisposeAsync();
            await queue.DeleteMessageAsync(message.MessageId, hidden.Receipt, cancellationToken);
        }

        public async Task RetryAsync(Core.Ports.SendMessage send, int attempt, TimeSpan delay, bool sameAttempt, CancellationToken cancellationToken)
        {
            await hidden.DisposeAsync();
            if (sameAttempt)
            {
                // A fresh copy, so the dequeue count does not grow.
                await queue.SendMessageAsync(message.Body.ToString(), visibilityTimeout: delay, cancellationToken: cancellationToken);
                await queue.DeleteMessageAsync(message.MessageId, hidden.Receipt, cancellationToken);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, hidden.Receipt, visibilityTimeout: delay, cancellationToken: cancellationToken);
            }
        }

        public async Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken)
        {
            await hidden.DisposeAsync();
            await poison.SendMessageAsync(message.Body.ToString(), cancellationToken);
            await queue.DeleteMessageAsync(message.MessageId, hidden.Receipt, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading queue {Queue} failed")]
    private partial void LogQueueError(Exception exception, string queue);
}
