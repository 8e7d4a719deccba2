using System.Text.Json;
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
/// What the Notify app does with each send message its Service Bus triggers receive: deliver it, then complete it,
/// dead-letter it, or schedule its retry. A retry is a copy scheduled for after the backoff (Service Bus has no
/// delayed abandon), carrying its attempt number; the original is completed. One sender per queue serves every retry.
/// </summary>
public sealed class ServiceBusSendProcessor(DeliverSend deliver, RetryPolicy retries, ServiceBusClient client, TimeProvider clock)
    : IAsyncDisposable
{
    public const string AttemptProperty = "attempt";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ServiceBusSender> _senders = new();

    public async Task ProcessAsync(ServiceBusReceivedMessage message, IMessageSettlement settlement, CancellationToken cancellationToken)
    {
        SendMessage send;
        try
        {
            send = SendMessageJson.Deserialize(message.Body.ToString());
        }
        catch (JsonException e)
        {
            await settlement.DeadLetterAsync("unreadable", e.Message, cancellationToken);
            return;
        }

        var attempt = AttemptOf(message);
        var isLast = attempt >= retries.MaxDeliveryCount;
        DeliveryResult result;
        try
        {
            result = await deliver.ExecuteAsync(send, attempt, isLast, cancellationToken);
        }
        catch (Exception e) when (isLast && !cancellationToken.IsCancellationRequested)
        {
            // The exception's type, not its text, which may repeat a recipient: the trace has the rest.
            await deliver.RecordDeadLetteredAsync(send, $"Undeliverable after {attempt} deliveries ({e.GetType().Name}).", cancellationToken);
            await settlement.DeadLetterAsync("undeliverable", e.GetType().Name, cancellationToken);
            return;
        }

        if (result.DeadLetter)
        {
            await settlement.DeadLetterAsync("retries-exhausted", $"Send {send.SendId} failed {attempt} times.", cancellationToken);
        }
        else if (result.Finished)
        {
            await settlement.CompleteAsync(cancellationToken);
        }
        else
        {
            // A throttled send comes back as the same attempt: the provider's rate, not the send, was at fault.
            var next = result.Throttled ? attempt : attempt + 1;
            var retry = ServiceBusSendPublisher.ToServiceBusMessage(send);
            retry.MessageId = $"{send.SendId}#{next}" + (result.Throttled ? $"t{clock.GetUtcNow().ToUnixTimeMilliseconds()}" : "");
            retry.ApplicationProperties[AttemptProperty] = next;
            var sender = _senders.GetOrAdd(StorageNames.QueueFor(send), client.CreateSender);
            await sender.ScheduleMessageAsync(retry, clock.GetUtcNow() + result.RetryAfter, cancellationToken);
            await settlement.CompleteAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync();
        }
    }

    /// <summary>The attempt this delivery is: the scheduled retry's number, plus any redeliveries of it.</summary>
    public static int AttemptOf(ServiceBusReceivedMessage message) =>
        (message.ApplicationProperties.TryGetValue(AttemptProperty, out var scheduled) && scheduled is int number ? number : 1)
        + message.DeliveryCount - 1;
}
