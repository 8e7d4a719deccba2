using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PayByLink.Adapters;
using PayByLink.Adapters.ServiceBus;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Adapters;

/// <summary>The Notify app's message handling, with real stores on Azurite and the SDK's test doubles for Service Bus.</summary>
[Collection(SuiteCollection.Name)]
public class ServiceBusSendProcessorTests(SuiteFixture suite)
{
    private ServiceBusSendProcessor Processor(SchedulingClient client, int maxDeliveryCount = 3, DeliverSend? deliver = null, TimeSpan? firstRetry = null)
    {
        var services = suite.Runtime.Services;
        var retries = new RetryPolicy(firstRetry ?? TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), maxDeliveryCount);
        var sends = ActivatorUtilities.CreateInstance<SendLifecycle>(services, retries);
        return new ServiceBusSendProcessor(
            new ReceiveSendMessage(deliver ?? ActivatorUtilities.CreateInstance<DeliverSend>(services, sends), sends,
                services.GetRequiredService<IPaymentRequestStore>(), retries, TimeProvider.System,
                services.GetRequiredService<PayByLink.Core.Telemetry.OutageLog>(), NullLogger<ReceiveSendMessage>.Instance),
            retries, client, TimeProvider.System);
    }

    private async Task<SendMessage> NewSendAsync(string email)
    {
        var merchant = await suite.NewMerchantAsync();
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate().Without("customer.mobileNumber").With("customer.email", email))).JsonAsync()).Str("requestId");
        await suite.Outbox.ForRequestAsync(id, 1); // the local senders deliver the original; these tests deliver a reminder
        return new SendMessage($"{id}.email.reminder-1", merchant.Merchant.Id, id, Channel.Email, "reminder-1", DateTimeOffset.UtcNow);
    }

    private static ServiceBusReceivedMessage Received(SendMessage send, int deliveryCount, int? attempt = null) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(SendMessageJson.Serialize(send)), messageId: send.SendId, deliveryCount: deliveryCount,
            properties: attempt is null ? null : new Dictionary<string, object> { [ServiceBusSendProcessor.AttemptProperty] = attempt.Value });

    [Fact]
    public async Task A_delivered_message_is_completed()
    {
        var send = await NewSendAsync($"sb{Guid.NewGuid():N}@example.com");
        var settlement = new RecordingSettlement();

        await Processor(new SchedulingClient()).ProcessAsync(Received(send, 1), settlement, CancellationToken.None);

        settlement.Completed.ShouldBeTrue();
        (await suite.Outbox.ForRequestAsync(send.RequestId, 2)).Count(m => m.SendId == send.SendId).ShouldBe(1);
    }

    [Fact]
    public async Task A_transient_failure_schedules_the_next_attempt_and_completes_the_original()
    {
        var email = $"sb{Guid.NewGuid():N}@example.com";
        var send = await NewSendAsync(email);
        suite.Provider.Plan(email, SendOutcome.Transient("throttled", "429"));
        var client = new SchedulingClient();
        var settlement = new RecordingSettlement();
        var before = DateTimeOffset.UtcNow;

        await Processor(client).ProcessAsync(Received(send, 1), settlement, CancellationToken.None);

        settlement.Completed.ShouldBeTrue();
        var (queue, retry, at) = client.Scheduled.ShouldHaveSingleItem();
        queue.ShouldBe("send-email");
        retry.MessageId.ShouldBe(send.SendId + "#2");
        retry.ApplicationProperties[ServiceBusSendProcessor.AttemptProperty].ShouldBe(2);
        at.ShouldBeGreaterThan(before);
        (at - before).ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(11)); // first retry: up to 10 s
    }

    [Fact]
    public async Task A_throttled_send_is_scheduled_after_the_providers_retry_after_as_the_same_attempt()
    {
        var email = $"sb{Guid.NewGuid():N}@example.com";
        var send = await NewSendAsync(email);
        suite.Provider.Plan(email, SendOutcome.Throttled("TooManyRequests", TimeSpan.FromSeconds(1)));
        var client = new SchedulingClient();
        var settlement = new RecordingSettlement();
        var before = DateTimeOffset.UtcNow;

        await Processor(client).ProcessAsync(Received(send, deliveryCount: 1, attempt: 2), settlement, CancellationToken.None);

        settlement.Completed.ShouldBeTrue();
        var (queue, retry, at) = client.Scheduled.ShouldHaveSingleItem();
        queue.ShouldBe("send-email");
        retry.ApplicationProperties[ServiceBusSendProcessor.AttemptProperty].ShouldBe(2, "the provider's rate, not the send, was at fault");
        retry.MessageId.ShouldStartWith(send.SendId + "#2t");
        (at - before).ShouldBeInRange(TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2));
        var record = await suite.Runtime.Services.GetRequiredService<IDeliveryStore>().FindAsync(send.MerchantId, send.RequestId, send.SendId, CancellationToken.None);
        record!.Value.Status.ShouldBe(DeliveryStatus.Retrying);
    }

    [Fact]
    public async Task The_last_attempt_failing_dead_letters_the_message_and_fails_the_record()
    {
        var email = $"sb{Guid.NewGuid():N}@example.com";
        var send = await NewSendAsync(email);
        suite.Provider.FailForEver(email);
        var settlement = new RecordingSettlement();

        await Processor(new SchedulingClient()).ProcessAsync(Received(send, deliveryCount: 1, attempt: 3), settlement, CancellationToken.None);

        settlement.DeadLetterReason.ShouldBe("retries-exhausted");
        var record = await suite.Runtime.Services.GetRequiredService<IDeliveryStore>().FindAsync(send.MerchantId, send.RequestId, send.SendId, CancellationToken.None);
        record!.Value.Status.ShouldBe(DeliveryStatus.Failed);
    }

    [Fact]
    public async Task A_delivery_that_throws_comes_back_after_the_backoff_and_on_its_last_attempt_is_dead_lettered_with_its_record_failed()
    {
        var send = await NewSendAsync($"sb{Guid.NewGuid():N}@example.com");
        var deliver = ActivatorUtilities.CreateInstance<DeliverSend>(suite.Runtime.Services,
            ActivatorUtilities.CreateInstance<SendProviderCalls>(suite.Runtime.Services, (IDeliveryReferences)new UnavailableReferences()));
        var client = new SchedulingClient();
        var first = new RecordingSettlement();
        var before = DateTimeOffset.UtcNow;

        await Processor(client, deliver: deliver).ProcessAsync(Received(send, 1), first, CancellationToken.None);

        first.Completed.ShouldBeTrue();
        var (_, retry, at) = client.Scheduled.ShouldHaveSingleItem();
        retry.ApplicationProperties[ServiceBusSendProcessor.AttemptProperty].ShouldBe(2);
        (at - before).ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(11)); // the first backoff: up to 10 s

        var last = new RecordingSettlement();
        await Processor(client, deliver: deliver).ProcessAsync(Received(send, deliveryCount: 1, attempt: 3), last, CancellationToken.None);

        last.DeadLetterReason.ShouldBe("undeliverable");
        client.Scheduled.Count.ShouldBe(1);
        var record = await suite.Runtime.Services.GetRequiredService<IDeliveryStore>().FindAsync(send.MerchantId, send.RequestId, send.SendId, CancellationToken.None);
        record!.Value.Status.ShouldBe(DeliveryStatus.Failed);
        record.Value.ErrorReason.ShouldBe("Undeliverable after 3 deliveries (TimeoutException).");
    }

    [Fact]
    public async Task A_message_whose_settling_fails_is_abandoned_after_the_backoff_and_on_its_last_attempt_dead_lettered()
    {
        var email = $"sb{Guid.NewGuid():N}@example.com";
        var send = await NewSendAsync(email);
        suite.Provider.FailForEver(email);
        var client = new SchedulingClient { Unavailable = true };
        var settlement = new RecordingSettlement();

        await Processor(client, firstRetry: TimeSpan.FromMilliseconds(50)).ProcessAsync(Received(send, 1), settlement, CancellationToken.None);

        settlement.Abandoned.ShouldBeTrue("the retry could not be scheduled: the message goes back rather than staying locked");
        settlement.Completed.ShouldBeFalse();

        var throwing = new ThrowingSettlement();
        await Processor(client, firstRetry: TimeSpan.FromMilliseconds(50)).ProcessAsync(Received(send, deliveryCount: 1, attempt: 3), throwing, CancellationToken.None);
        throwing.DeadLetterReason.ShouldBe("unsettled");
    }

    /// <summary>Storage that does not answer when a send, before its claim, keeps its provider reference.</summary>
    private sealed class UnavailableReferences : IDeliveryReferences
    {
        public Task SaveAsync(string reference, SendReference send, CancellationToken cancellationToken) =>
            throw new TimeoutException("The storage account did not answer.");

        public Task<SendReference?> FindAsync(string reference, CancellationToken cancellationToken) => Task.FromResult<SendReference?>(null);
    }

    [Fact]
    public async Task An_unreadable_message_is_dead_lettered()
    {
        var settlement = new RecordingSettlement();

        await Processor(new SchedulingClient()).ProcessAsync(
            ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString("{not json"), messageId: "x"), settlement, CancellationToken.None);

        settlement.DeadLetterReason.ShouldBe("unreadable");
    }

    [Theory]
    [InlineData(2, 1, 2)]
    [InlineData(3, 2, 4)]
    [InlineData(null, 3, 3)]
    public void The_attempt_counts_scheduled_retries_and_redeliveries(int? scheduled, int deliveryCount, int attempt)
    {
        var send = new SendMessage("s", "m", "r", Channel.Sms, "initial", DateTimeOffset.UtcNow);

        ServiceBusSendProcessor.AttemptOf(Received(send, deliveryCount, scheduled)).ShouldBe(attempt);
    }

    [Theory]
    [InlineData(429, SendOutcomeKind.Throttled)]
    [InlineData(503, SendOutcomeKind.Transient)]
    [InlineData(408, SendOutcomeKind.Transient)]
    [InlineData(401, SendOutcomeKind.Transient)]
    [InlineData(400, SendOutcomeKind.Permanent)]
    [InlineData(404, SendOutcomeKind.Permanent)]
    public void Provider_errors_are_classified(int status, SendOutcomeKind kind) =>
        ProviderErrors.Classify(status, null, "reason", null, DateTimeOffset.UnixEpoch).Kind.ShouldBe(kind);

    [Theory]
    [InlineData("7", 7)]
    [InlineData("Wed, 02 Dec 2026 12:00:30 GMT", 30)]
    [InlineData(null, 10)]
    [InlineData("soon", 10)]
    [InlineData("99999", 3600)]
    public void A_throttled_send_waits_as_long_as_the_providers_retry_after_says(string? header, int seconds) =>
        ProviderErrors.Classify(429, "TooManyRequests", "slow down", header, new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero))
            .RetryAfter.ShouldBe(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void A_providers_own_message_stays_out_of_the_record_and_reaches_the_trace_masked()
    {
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == "test",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) =>
                System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var source = new System.Diagnostics.ActivitySource("test");
        using var activity = source.StartActivity("send")!;

        var outcome = ProviderErrors.Classify(400, "InvalidRecipient", "Number +44 7700 900123 (jane@example.com) is not valid", null, DateTimeOffset.UnixEpoch);

        outcome.ErrorCode.ShouldBe("InvalidRecipient");
        outcome.Reason.ShouldBe("The provider refused the message (HTTP 400, InvalidRecipient).");
        var detail = activity.Events.Single(e => e.Name == "provider.error").Tags.Single(t => t.Key == "provider.error.detail").Value as string;
        detail.ShouldBe("Number *** (***@***) is not valid");
    }

    [Fact]
    public void A_send_always_carries_the_same_provider_operation_id()
    {
        PayByLink.Core.Delivery.CarrierReferences.EmailOperationId("pr_1.email.initial").ShouldBe(PayByLink.Core.Delivery.CarrierReferences.EmailOperationId("pr_1.email.initial"));
        PayByLink.Core.Delivery.CarrierReferences.EmailOperationId("pr_1.email.initial").ShouldNotBe(PayByLink.Core.Delivery.CarrierReferences.EmailOperationId("pr_1.email.reminder-1"));
    }

    private sealed class RecordingSettlement : IMessageSettlement
    {
        public bool Completed { get; private set; }

        public string? DeadLetterReason { get; private set; }

        public bool Abandoned { get; private set; }

        public Task CompleteAsync(CancellationToken cancellationToken)
        {
            Completed = true;
            return Task.CompletedTask;
        }

        public Task AbandonAsync(CancellationToken cancellationToken)
        {
            Abandoned = true;
            return Task.CompletedTask;
        }

        public Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken)
        {
            DeadLetterReason = reason;
            return Task.CompletedTask;
        }
    }

    /// <summary>A settlement whose first dead-lettering fails (Service Bus not answering), as a message's own failing settle does.</summary>
    private sealed class ThrowingSettlement : IMessageSettlement
    {
        private int _deadLetters;

        public string? DeadLetterReason { get; private set; }

        public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task AbandonAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _deadLetters) == 1)
            {
                throw new ServiceBusException("The namespace did not answer.", ServiceBusFailureReason.ServiceTimeout);
            }

            DeadLetterReason = reason;
            return Task.CompletedTask;
        }
    }

    private sealed class SchedulingClient : ServiceBusClient
    {
        public List<(string Queue, ServiceBusMessage Message, DateTimeOffset At)> Scheduled { get; } = [];

        public bool Unavailable { get; init; }

        public override ServiceBusSender CreateSender(string queueOrTopicName) => new Sender(this, queueOrTopicName);

        private sealed class Sender(SchedulingClient client, string queue) : ServiceBusSender
        {
            public override Task<long> ScheduleMessageAsync(ServiceBusMessage message, DateTimeOffset scheduledEnqueueTime, CancellationToken cancellationToken = default)
            {
                if (client.Unavailable)
                {
                    throw new ServiceBusException("The namespace did not answer.", ServiceBusFailureReason.ServiceTimeout);
                }

                client.Scheduled.Add((queue, message, scheduledEnqueueTime));
                return Task.FromResult(1L);
            }

            public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
