using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.ServiceBus;

/// <summary>
/// Publishes send messages to one Service Bus queue per channel. The message id is the send id, so the
/// queue's duplicate detection drops a send published twice.
/// </summary>
public sealed class ServiceBusSendPublisher(ServiceBusClient client) : ISendMessagePublisher, IAsyncDisposable
{
    // Well inside the 256 KB batch limit of the Standard tier for messages of a few hundred bytes.
    private const int MaxMessagesPerSend = 100;

    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new();

    public async Task PublishAsync(IReadOnlyList<SendMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var group in messages.GroupBy(m => StorageNames.QueueFor(m.Channel)))
        {
            var sender = _senders.GetOrAdd(group.Key, client.CreateSender);
            foreach (var chunk in group.Chunk(MaxMessagesPerSend))
            {
                await sender.SendMessagesAsync(chunk.Select(ToServiceBusMessage), cancellationToken);
            }
        }
    }

    /// <summary>Not asked: counting would need the namespace's Manage right, which a publisher is not given.</summary>
    public Task<long?> CountWaitingAsync(CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public static ServiceBusMessage ToServiceBusMessage(SendMessage message) => new(SendMessageJson.ToBinary(message))
    {
        MessageId = message.SendId,
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
