using Azure.Messaging.ServiceBus;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.ServiceBus;

/// <summary>How a received Service Bus message is settled: the Functions trigger's message actions, or a test's.</summary>
public interface IMessageSettlement
{
    Task CompleteAsync(CancellationToken cancellationToken);

    Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken);
}

/// <summary>
/// The Notify app's Service Bus transport for <see cref="ReceiveSendMessage"/>: a message's attempt number, and its
/// settling. A retry is a copy scheduled for after the delay (Service Bus has no delayed abandon), carrying its attempt
/// number; the original is completed. One sender per queue serves every retry.
/// </summary>
public sealed class ServiceBusSendProcessor(ReceiveSendMessage receive, ServiceBusClient client, TimeProvider clock) : IAsyncDisposable
{
    public const string AttemptProperty = "attempt";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ServiceBusSender> _senders = new();

    public Task ProcessAsync(ServiceBusReceivedMessage message, IMessageSettlement settlement, CancellationToken cancellationToken) =>
        receive.ExecuteAsync(message.Body.ToString(), message.MessageId, AttemptOf(message), new Settlement(this, settlement), cancellationToken);

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
