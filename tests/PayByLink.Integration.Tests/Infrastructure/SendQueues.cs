using PayByLink.Adapters;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Ports;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>
/// What has been published to the send queues. Nothing consumes them in these tests, so each look takes every
/// waiting message off the queues into one record of everything published so far.
/// </summary>
public sealed class SendQueues(StorageClients storage)
{
    private readonly List<SendMessage> _published = [];

    public async Task<IReadOnlyList<SendMessage>> ForRequestAsync(string requestId)
    {
        foreach (var name in StorageNames.Queues)
        {
            var queue = storage.Queues.GetQueueClient(name);
            while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value is { Length: > 0 } messages)
            {
                foreach (var message in messages)
                {
                    _published.Add(SendMessageJson.Deserialize(message.Body.ToString()));
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
            }
        }

        return _published.Where(m => m.RequestId == requestId).ToList();
    }
}
