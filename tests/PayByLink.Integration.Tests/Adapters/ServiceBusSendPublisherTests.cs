using Azure.Messaging.ServiceBus;
using PayByLink.Core.Delivery;
using PayByLink.Adapters.ServiceBus;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

namespace PayByLink.Integration.Tests.Adapters;

public class ServiceBusSendPublisherTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_send_goes_to_its_channels_queue_with_the_send_id_as_message_id()
    {
        var client = new RecordingClient();
        await using var publisher = new ServiceBusSendPublisher(client);

        await publisher.PublishAsync(
        [
            new SendMessage("pr_1.sms.initial", "acme", "pr_1", Channel.Sms, "initial", Now),
            new SendMessage("pr_1.email.initial", "acme", "pr_1", Channel.Email, "initial", Now),
        ], CancellationToken.None);

        var sms = client.Sent["send-sms"].ShouldHaveSingleItem();
        sms.MessageId.ShouldBe("pr_1.sms.initial");
        sms.ContentType.ShouldBe("application/json");
        sms.Subject.ShouldBe("initial");
        sms.ApplicationProperties["merchantId"].ShouldBe("acme");
        sms.ApplicationProperties["requestId"].ShouldBe("pr_1");
        sms.ApplicationProperties["channel"].ShouldBe("sms");
        SendMessageJson.Deserialize(sms.Body.ToString()).ShouldBe(new SendMessage("pr_1.sms.initial", "acme", "pr_1", Channel.Sms, "initial", Now));
        client.Sent["send-email"].ShouldHaveSingleItem().MessageId.ShouldBe("pr_1.email.initial");
        sms.SessionId.ShouldBeNull();
    }

    [Fact]
    public async Task A_batch_lines_send_goes_to_its_channels_bulk_queue_in_its_merchants_session()
    {
        var client = new RecordingClient();
        await using var publisher = new ServiceBusSendPublisher(client);

        await publisher.PublishAsync([new SendMessage("pr_3.sms.initial", "acme", "pr_3", Channel.Sms, "initial", Now) { Bulk = true }], CancellationToken.None);

        var sms = client.Sent["send-sms-bulk"].ShouldHaveSingleItem();
        sms.SessionId.ShouldBe("acme");
        SendMessageJson.Deserialize(sms.Body.ToString()).Bulk.ShouldBeTrue("a retry of it goes back to the bulk queue");
    }

    [Fact]
    public async Task Publishing_the_same_send_twice_uses_the_same_message_id_so_duplicate_detection_drops_it()
    {
        var client = new RecordingClient();
        await using var publisher = new ServiceBusSendPublisher(client);
        var message = new SendMessage("pr_2.sms.initial", "acme", "pr_2", Channel.Sms, "initial", Now);

        await publisher.PublishAsync([message], CancellationToken.None);
        await publisher.PublishAsync([message], CancellationToken.None);

        client.Sent["send-sms"].Select(m => m.MessageId).Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Large_publishes_go_as_message_batches_as_full_as_the_batch_allows()
    {
        var client = new RecordingClient();
        await using var publisher = new ServiceBusSendPublisher(client);

        await publisher.PublishAsync(Enumerable.Range(0, 250)
            .Select(i => new SendMessage($"pr_{i}.sms.initial", "acme", $"pr_{i}", Channel.Sms, "initial", Now)).ToList(), CancellationToken.None);

        client.Sent["send-sms"].Count.ShouldBe(250);
        client.Calls.ShouldBe(3);
    }

    private sealed class RecordingClient : ServiceBusClient
    {
        public Dictionary<string, List<ServiceBusMessage>> Sent { get; } = [];

        public int Calls { get; set; }

        public override ServiceBusSender CreateSender(string queueOrTopicName) => new RecordingSender(this, queueOrTopicName);
    }

    private sealed class RecordingSender(RecordingClient client, string queue) : ServiceBusSender
    {
        private readonly Dictionary<ServiceBusMessageBatch, List<ServiceBusMessage>> _batches = [];

        /// <summary>A batch that takes 100 messages, as if that were the size limit.</summary>
        public override ValueTask<ServiceBusMessageBatch> CreateMessageBatchAsync(CancellationToken cancellationToken = default)
        {
            var store = new List<ServiceBusMessage>();
            var batch = ServiceBusModelFactory.ServiceBusMessageBatch(256 * 1024, store, tryAddCallback: _ => store.Count < 100);
            _batches[batch] = store;
            return ValueTask.FromResult(batch);
        }

        public override Task SendMessagesAsync(ServiceBusMessageBatch messageBatch, CancellationToken cancellationToken = default) =>
            SendMessagesAsync(_batches[messageBatch], cancellationToken);

        public override Task SendMessagesAsync(IEnumerable<ServiceBusMessage> messages, CancellationToken cancellationToken = default)
        {
            client.Calls++;
            if (!client.Sent.TryGetValue(queue, out var list))
            {
                client.Sent[queue] = list = [];
            }

            list.AddRange(messages);
            return Task.CompletedTask;
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
