using PayByLink.Core.Delivery;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>Publishes send messages to Storage Queues: what stands in for Service Bus on a laptop.</summary>
public sealed class StorageQueueSendPublisher(StorageClients storage) : ISendMessagePublisher
{
    public async Task PublishAsync(IReadOnlyList<SendMessage> messages, CancellationToken cancellationToken)
    {
        await Task.WhenAll(messages.Select(m =>
            storage.Queues.GetQueueClient(StorageNames.QueueFor(m))
                .SendMessageAsync(SendMessageJson.Serialize(m), cancellationToken)));
    }

    public async Task<long?> CountWaitingAsync(CancellationToken cancellationToken)
    {
        var counts = await Task.WhenAll(StorageNames.SendQueues.Select(async queue =>
            (await storage.Queues.GetQueueClient(queue).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount));
        return counts.Sum(c => (long)c);
    }
}
