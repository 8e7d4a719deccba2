using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.ServiceBus;

/// <summary>
/// Publishes send messages to one Service Bus queue per channel and lane (single links; batch lines, in sessions by
/// merchant), a batch of messages per call. The message id is the send id, so the queue's duplicate detection drops a
/// send published twice.
/// </summary>
public sealed class ServiceBusSendPublisher(ServiceBusClient client) : ISendMessagePublisher, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new();

    public async Task PublishAsync(IReadOnlyList<SendMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var group in messages.GroupBy(StorageNames.QueueFor))
        {
            var sender = _senders.GetOrAdd(group.Key, client.CreateSender);
            var pending = new Queue<SendMessage>(group);
            while (pending.Count > 0)
            {
                // As many as fit in one batch (the tier's message size limit), in one call.
                using var batch = await sender.CreateMessageBatchAsync(cancellationToken);
                while (pending.Count > 0 && batch.TryAddMessage(ToServiceBusMessage(pending.Peek())))
                {
                    pending.Dequeue();
                }

                if (batch.Count == 0)
                {
                    throw new InvalidOperationException($"Send {pending.Peek().SendId} is too large for a Service Bus message.");
                }

                await sender.SendMessagesAsync(batch, cancellationToken);
            }
        }
    }

    /// <summary>Not asked: counting would need the namespace's Manage right, which a publisher is not given.</summary>
    public Task<long?> CountWaitingAsync(CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    /// <summary>A bulk send goes in its merchant's session: the bulk queues serve merchants' sessions side by side.</summary>
    public static ServiceBusMessage ToServiceBusMessage(SendMessage message) => new(BinaryData.FromString(SendMessageJson.Serialize(message)))
    {
        MessageId = message.SendId,
        SessionId = message.Bulk ? message.MerchantId : null,
        ContentType = "application/json",
        Subject = message.Purpose,
        ApplicationProperties =
        {
            ["merchantId"] = message.MerchantId,
            ["requestId"] = message.RequestId,
            ["channel"] = message.Channel.ToString().ToLowerInvariant(),
        },
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync();
        }
    }
}
