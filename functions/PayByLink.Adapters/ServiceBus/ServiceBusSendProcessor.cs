using Azure.Messaging.ServiceBus;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.ServiceBus;

/// <summary>
/// The Notify app's Service Bus transport for <see cref="ReceiveSendMessage"/>: a message's attempt number, and its
/// settling. A retry is a copy scheduled for after the delay (Service Bus has no delayed abandon), carrying its attempt
/// number; the original is completed. One sender per queue serves every retry. A message whose settling itself fails
/// (storage or Service Bus not answering) is settled here all the same rather than left locked until its lock ends:
/// dead-lettered on its last attempt, otherwise held for the backoff and abandoned, to come back as its next attempt.
/// </summary>
public sealed class ServiceBusSendProcessor(ReceiveSendMessage receive, RetryPolicy retries, ServiceBusClient client, TimeProvider clock) : IAsyncDisposable
{
    /// <summary>The longest a message is held before it is abandoned: well within its lock's automatic renewal (5 minutes).</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(4);

    public const string AttemptProperty = "attempt";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ServiceBusSender> _senders = new();

    public async Task ProcessAsync(ServiceBusReceivedMessage message, IMessageSettlement settlement, CancellationToken cancellationToken)
    {
        var attempt = AttemptOf(message);
        try
        {
            await receive.ExecuteAsync(message.Body.ToString(), message.MessageId, attempt, new Settlement(this, settlement), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (retries.IsLastAttempt(attempt))
            {
                await settlement.DeadLetterAsync("unsettled", e.GetType().Name, cancellationToken);
                return;
            }

            // While storage or Service Bus fail, holding the message is what keeps this instance from taking more.
            var backoff = retries.Backoff(attempt);
            await Task.Delay(backoff < MaxHold ? backoff : MaxHold, clock, cancellationToken);
            await settlement.AbandonAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync();
        }
    }

    private async Task ScheduleAsync(SendMessage send, int attempt, TimeSpan delay, bool sameAttempt, CancellationToken cancellationToken)
    {
        // A retry of the same attempt needs an id of its own: Service Bus drops a copy whose id it has seen.
        var retry = ServiceBusSendPublisher.ToServiceBusMessage(send);
        var now = clock.GetUtcNow();
        retry.MessageId = $"{send.SendId}#{attempt}" + (sameAttempt ? $"t{now.ToUnixTimeMilliseconds()}" : "");
        retry.ApplicationProperties[AttemptProperty] = attempt;
        await _senders.GetOrAdd(StorageNames.QueueFor(send), client.CreateSender).ScheduleMessageAsync(retry, now + delay, cancellationToken);
    }

    /// <summary>The attempt this delivery is: the scheduled retry's number, plus any redeliveries of it.</summary>
    public static int AttemptOf(ServiceBusReceivedMessage message) =>
        (message.ApplicationProperties.TryGetValue(AttemptProperty, out var scheduled) && scheduled is int number ? number : 1)
        + message.DeliveryCount - 1;

    private sealed class Settlement(ServiceBusSendProcessor processor, IMessageSettlement message) : ISendSettlement
    {
        public Task CompleteAsync(CancellationToken cancellationToken) => message.CompleteAsync(cancellationToken);

        public Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken) =>
            message.DeadLetterAsync(reason, description, cancellationToken);

        public async Task RetryAsync(SendMessage send, int attempt, TimeSpan delay, bool sameAttempt, CancellationToken cancellationToken)
        {
            await processor.ScheduleAsync(send, attempt, delay, sameAttempt, cancellationToken);
            await message.CompleteAsync(cancellationToken);
        }
    }
}
