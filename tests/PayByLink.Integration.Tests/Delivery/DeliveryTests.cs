using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Delivery;

/// <summary>Delivery end to end on the local runtime: queue → sender → provider → records and statuses.</summary>
[Collection(SuiteCollection.Name)]
public class DeliveryTests(SuiteFixture suite)
{
    private static string NewEmail() => $"c{Guid.NewGuid():N}@example.com";

    private static JsonObject EmailOnly(string email) =>
        Requests.ValidCreate().Without("customer.mobileNumber").With("customer.email", email);

    [Fact]
    public async Task A_created_request_is_sent_by_sms_and_email_and_shows_its_deliveries()
    {
        var merchant = await suite.NewMerchantAsync();
        var created = await (await merchant.CreateAsync(Requests.ValidCreate().With("passphrase", "blue heron"))).JsonAsync();
        var id = created.Str("requestId");

        var sent = await suite.Outbox.ForRequestAsync(id, 2);
        var body = await merchant.WaitForAsync(id, b => b.GetProperty("deliveries").GetArrayLength() == 2 &&
                                                         b.GetProperty("deliveries").EnumerateArray().All(d => d.Str("status") is "Sent" or "Delivered"));

        body.Str("status").ShouldBe("Sent");
        var sms = sent.Single(m => m.Channel == "sms");
        sms.Recipient.ShouldBe("+447700900123");
        sms.Body.ShouldContain("Acme Energy");
        sms.Body.ShouldContain("£120.50");
        sms.Body.ShouldContain("Invoice 1001");
        sms.Body.ShouldContain("blue heron");
        sms.Body.ShouldContain(created.Str("shortUrl"));
        SmsEncoding.Measure(sms.Body).Segments.ShouldBe(1);
        var email = sent.Single(m => m.Channel == "email");
        email.Subject!.ShouldContain("£120.50");
        email.Body.ShouldContain(created.Str("longUrl"));
        email.Html!.ShouldContain($"href=\"{created.Str("longUrl")}\"");
        var deliveries = body.GetProperty("deliveries").EnumerateArray().ToList();
        deliveries.Select(d => d.Str("channel")).ShouldBe(["sms", "email"], ignoreOrder: true);
        deliveries.ShouldAllBe(d => d.GetProperty("attempts").GetInt32() == 1 && d.Str("providerMessageId") != null);
        deliveries.Single(d => d.Str("channel") == "sms").Str("recipient").ShouldBe("+44***123");
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_the_message_is_sent_once()
    {
        var merchant = await suite.NewMerchantAsync();
        var address = NewEmail();
        suite.Provider.Plan(address, SendOutcome.Transient("throttled", "429"), SendOutcome.Transient("server_error", "503"));

        var id = (await (await merchant.CreateAsync(EmailOnly(address))).JsonAsync()).Str("requestId");

        (await suite.Outbox.ForRequestAsync(id, 1)).Count.ShouldBe(1);
        var body = await merchant.WaitForAsync(id, b => b.Str("status") == "Sent");
        body.Str("status").ShouldBe("Sent");
        var delivery = body.GetProperty("deliveries").EnumerateArray().Single();
        delivery.Str("status").ShouldBeOneOf("Sent", "Delivered"); // the carrier's receipt follows within a second
        delivery.GetProperty("attempts").GetInt32().ShouldBe(3);
        suite.Provider.Calls(address).ShouldBe(3);
    }

    [Fact]
    public async Task A_send_the_provider_throttles_waits_out_its_retry_after_and_spends_no_attempt()
    {
        var merchant = await suite.NewMerchantAsync();
        var address = NewEmail();
        suite.Provider.Plan(address, SendOutcome.Throttled("TooManyRequests", TimeSpan.FromSeconds(1)), SendOutcome.Throttled("TooManyRequests", TimeSpan.FromSeconds(1)));
        var createdAt = DateTimeOffset.UtcNow;

        var id = (await (await merchant.CreateAsync(EmailOnly(address))).JsonAsync()).Str("requestId");

        (await suite.Outbox.ForRequestAsync(id, 1)).Count.ShouldBe(1);
        var body = await merchant.WaitForAsync(id, b => b.Str("status") == "Sent");
        var delivery = body.GetProperty("deliveries").EnumerateArray().Single();
        delivery.Str("status").ShouldBeOneOf("Sent", "Delivered");
        delivery.GetProperty("attempts").GetInt32().ShouldBe(1, "a throttled call is not an attempt");
        suite.Provider.Calls(address).ShouldBe(3);
        (DateTimeOffset.Parse(body.Str("updatedAt")) - createdAt).ShouldBeGreaterThan(TimeSpan.FromSeconds(1.9), "it waited out both pauses");
    }

    [Fact]
    public async Task A_permanent_failure_fails_the_record_at_once_with_the_providers_reason()
    {
        var merchant = await suite.NewMerchantAsync();
        var address = NewEmail();
        suite.Provider.Plan(address, SendOutcome.Permanent("recipient_rejected", "550 5.1.1 mailbox does not exist"));

        var id = (await (await merchant.CreateAsync(EmailOnly(address))).JsonAsync()).Str("requestId");

        var body = await merchant.WaitForAsync(id, b => b.Str("status") == "Failed");
        body.Str("status").ShouldBe("Failed");
        var delivery = body.GetProperty("deliveries").EnumerateArray().Single();
        delivery.Str("status").ShouldBe("Failed");
        delivery.Str("errorCode").ShouldBe("recipient_rejected");
        delivery.Str("errorReason").ShouldBe("550 5.1.1 mailbox does not exist");
        delivery.GetProperty("attempts").GetInt32().ShouldBe(1);
        suite.Provider.Calls(address).ShouldBe(1);
    }

    [Fact]
    public async Task One_failed_channel_does_not_fail_a_request_another_channel_reached()
    {
        var merchant = await suite.NewMerchantAsync();
        var address = NewEmail();
        suite.Provider.Plan(address, SendOutcome.Permanent("recipient_rejected", "blocked"));

        var id = (await (await merchant.CreateAsync(Requests.ValidCreate().With("customer.email", address))).JsonAsync()).Str("requestId");

        // The request's status follows its delivery records, so wait for both.
        var body = await merchant.WaitForAsync(id, b => b.GetProperty("deliveries").EnumerateArray().Count(d => d.Str("status") is "Sent" or "Failed") == 2 &&
                                                         b.Str("status") != "Pending");
        body.Str("status").ShouldBe("Sent");
    }

    [Fact]
    public async Task A_redelivered_message_whose_send_succeeded_sends_nothing()
    {
        var merchant = await suite.NewMerchantAsync();
        var address = NewEmail();
        var id = (await (await merchant.CreateAsync(EmailOnly(address))).JsonAsync()).Str("requestId");
        (await suite.Outbox.ForRequestAsync(id, 1)).Count.ShouldBe(1);

        var again = new SendMessage($"{id}.email.initial", merchant.Merchant.Id, id, Channel.Email, "initial", DateTimeOffset.UtcNow);
        await suite.Storage.Queues.GetQueueClient(StorageNames.EmailQueue).SendMessageAsync(SendMessageJson.Serialize(again));
        await suite.Storage.Queues.GetQueueClient(StorageNames.EmailQueue).SendMessageAsync(SendMessageJson.Serialize(again));

        // Both copies were received and settled (taken off the queue), and still one send went.
        await SuiteFixture.QueueDrainedAsync(suite.Storage, StorageNames.EmailQueue);
        (await suite.Outbox.ForRequestAsync(id, 1)).Count.ShouldBe(1);
        suite.Provider.Calls(address).ShouldBe(1);
    }

    [Fact]
    public async Task A_send_left_mid_flight_by_a_stopped_sender_waits_for_its_receipt_and_is_sent_again_only_when_none_came()
    {
        var merchant = await suite.NewMerchantAsync();
        var address = NewEmail();
        var id = (await (await merchant.CreateAsync(EmailOnly(address))).JsonAsync()).Str("requestId");
        await merchant.WaitForAsync(id, b => b.Str("status") == "Sent");
        var deliveries = suite.Runtime.Services.GetRequiredService<IDeliveryStore>();
        var wait = suite.Runtime.Services.GetRequiredService<RetryPolicy>().ReceiptWait;
        var reminder = new SendMessage($"{id}.email.reminder-1", merchant.Merchant.Id, id, Channel.Email, "reminder-1", DateTimeOffset.UtcNow);

        // Past its lease, within the wait: the provider may have taken it, so nothing is sent yet.
        var stopped = new DeliveryRecord(reminder.SendId, reminder.MerchantId, id, Channel.Email, "reminder-1", DeliveryStatus.Sending, 1,
            "c***@e***", null, null, null, DateTimeOffset.UtcNow - RetryPolicy.DefaultSendingLease - TimeSpan.FromSeconds(1));
        var version = (await deliveries.TrySaveAsync(stopped, null, CancellationToken.None)).ShouldNotBeNull();
        var waiting = await suite.Runtime.Services.GetRequiredService<DeliverSend>().ExecuteAsync(reminder, 2, false, CancellationToken.None);
        waiting.Finished.ShouldBeFalse();
        waiting.RetryAfter.ShouldBeGreaterThan(wait - RetryPolicy.DefaultSendingLease - TimeSpan.FromSeconds(5));
        suite.Provider.Calls(address).ShouldBe(1); // the first send only

        // The wait over and no receipt came: sent again, once.
        (await deliveries.TrySaveAsync(stopped with { UpdatedAt = DateTimeOffset.UtcNow - wait - TimeSpan.FromSeconds(1) }, version,
            CancellationToken.None)).ShouldNotBeNull();
        await suite.Storage.Queues.GetQueueClient(StorageNames.EmailQueue).SendMessageAsync(SendMessageJson.Serialize(reminder));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        DeliveryRecord record;
        while ((record = (await deliveries.FindAsync(merchant.Merchant.Id, id, reminder.SendId, CancellationToken.None))!.Value).Status
               is not (DeliveryStatus.Sent or DeliveryStatus.Delivered) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        record.Status.ShouldBeOneOf(DeliveryStatus.Sent, DeliveryStatus.Delivered);
        record.Attempts.ShouldBe(2);
        (await suite.Outbox.ForRequestAsync(id, 2)).Count(m => m.SendId == reminder.SendId).ShouldBe(1);
    }

    [Fact]
    public async Task A_send_recorded_with_its_request_moving_to_sent_writes_both_or_neither()
    {
        var merchant = await suite.NewMerchantAsync();
        var input = JsonSerializer.Deserialize<PayByLink.Core.PaymentRequests.PaymentRequestInput>(EmailOnly(NewEmail()).ToJsonString(), PayByLink.Http.ApiJson.Options)!;
        var now = DateTimeOffset.UtcNow;
        var content = PayByLink.Core.PaymentRequests.PaymentRequestRules.Validate(input, merchant.Merchant, now).Value!;
        var pending = new PaymentRequest(merchant.Merchant.Id, "pr_recordedwith" + Guid.NewGuid().ToString("N")[..11], content,
            PaymentRequestStatus.Pending, "Recorded12", new string('r', 43), now, now);
        var requests = suite.Runtime.Services.GetRequiredService<IPaymentRequestStore>();
        var deliveries = suite.Runtime.Services.GetRequiredService<IDeliveryStore>();
        await requests.SaveAsync(pending, CancellationToken.None);
        var read = (await requests.FindAsync(pending.MerchantId, pending.RequestId, CancellationToken.None))!;
        var sending = new DeliveryRecord($"{pending.RequestId}.email.initial", pending.MerchantId, pending.RequestId, Channel.Email, "initial",
            DeliveryStatus.Sending, 1, "c***@e***", null, null, null, now);
        var claimed = (await deliveries.TrySaveAsync(sending, null, CancellationToken.None))!;
        var sent = sending with { Status = DeliveryStatus.Sent, ProviderMessageId = "provider-1" };

        // A record that has moved on since it was claimed: neither row is written.
        var moved = (await deliveries.TrySaveAsync(sending with { Attempts = 2 }, claimed, CancellationToken.None))!;
        (await requests.TryReplaceAsync(read, pending with { Status = PaymentRequestStatus.Sent }, new Versioned<DeliveryRecord>(sent, claimed),
            SentEvent(pending, sent), CancellationToken.None)).ShouldBeFalse();
        (await requests.FindAsync(pending.MerchantId, pending.RequestId, CancellationToken.None))!.Value.Status.ShouldBe(PaymentRequestStatus.Pending);

        // Both at the versions read: both written, and the request lists under its new status.
        (await requests.TryReplaceAsync(read, pending with { Status = PaymentRequestStatus.Sent }, new Versioned<DeliveryRecord>(sent, moved),
            SentEvent(pending, sent), CancellationToken.None)).ShouldBeTrue();
        (await requests.FindAsync(pending.MerchantId, pending.RequestId, CancellationToken.None))!.Value.Status.ShouldBe(PaymentRequestStatus.Sent);
        var recorded = (await deliveries.ListAsync(pending.MerchantId, pending.RequestId, CancellationToken.None)).ShouldHaveSingleItem();
        recorded.Status.ShouldBe(DeliveryStatus.Sent);
        recorded.ProviderMessageId.ShouldBe("provider-1");
        var listed = await merchant.Http.GetFromJsonAsync<JsonElement>("api/v1/payment-requests?status=Sent");
        listed.GetProperty("items").EnumerateArray().Select(i => i.Str("requestId")).ShouldBe([pending.RequestId]);

        // The request has moved on since it was read: nothing is written.
        (await requests.TryReplaceAsync(read, pending with { Status = PaymentRequestStatus.Cancelled },
            new Versioned<DeliveryRecord>(sent with { ErrorReason = "stale" }, (await deliveries.FindAsync(pending.MerchantId, pending.RequestId, sent.SendId, CancellationToken.None))!.Version),
            SentEvent(pending, sent) with { Sequence = 2 }, CancellationToken.None)).ShouldBeFalse();
        (await deliveries.ListAsync(pending.MerchantId, pending.RequestId, CancellationToken.None)).Single().ErrorReason.ShouldBeNull();
    }

    private static PayByLink.Core.Events.DomainEvent SentEvent(PaymentRequest request, DeliveryRecord sent) =>
        new(request.MerchantId, request.RequestId, 1, PayByLink.Core.Events.EventTypes.RequestSent, sent.UpdatedAt,
            new PayByLink.Core.Events.EventData(Request: request, Delivery: sent));

    [Fact]
    public async Task A_send_another_sender_holds_is_not_sent_again_while_its_lease_lasts()
    {
        var merchant = await suite.NewMerchantAsync();
        var address = NewEmail();
        var id = (await (await merchant.CreateAsync(EmailOnly(address))).JsonAsync()).Str("requestId");
        await merchant.WaitForAsync(id, b => b.Str("status") == "Sent");
        var reminder = new SendMessage($"{id}.email.reminder-1", merchant.Merchant.Id, id, Channel.Email, "reminder-1", DateTimeOffset.UtcNow);
        var held = new DeliveryRecord(reminder.SendId, reminder.MerchantId, id, Channel.Email, "reminder-1", DeliveryStatus.Sending, 1,
            "c***@e***", null, null, null, DateTimeOffset.UtcNow);
        await suite.Runtime.Services.GetRequiredService<IDeliveryStore>().TrySaveAsync(held, null, CancellationToken.None);

        var result = await suite.Runtime.Services.GetRequiredService<DeliverSend>().ExecuteAsync(reminder, 1, false, CancellationToken.None);

        result.Finished.ShouldBeFalse();
        result.RetryAfter.ShouldBeGreaterThan(RetryPolicy.DefaultSendingLease - TimeSpan.FromSeconds(5));
        suite.Provider.Calls(address).ShouldBe(1); // the original send only
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_dead_lettered_and_its_record_says_failed()
    {
        var merchant = await suite.NewMerchantAsync();
        var address = NewEmail();
        suite.Provider.FailForEver(address);

        var id = (await (await merchant.CreateAsync(EmailOnly(address))).JsonAsync()).Str("requestId");

        var body = await merchant.WaitForAsync(id, b => b.Str("status") == "Failed");
        body.Str("status").ShouldBe("Failed");
        var delivery = body.GetProperty("deliveries").EnumerateArray().Single();
        delivery.Str("errorReason").ShouldStartWith("Gave up after 3 attempts");
        suite.Provider.Calls(address).ShouldBe(3);
        (await PoisonedAsync(StorageNames.EmailQueue)).ShouldContain(m => m.RequestId == id);
    }

    [Fact]
    public async Task A_send_recorded_whose_change_was_never_taken_is_told_again_when_its_message_is_dead_lettered()
    {
        var merchant = await suite.NewMerchantAsync();
        var id = (await (await merchant.CreateAsync(EmailOnly(NewEmail()))).JsonAsync()).Str("requestId");
        await merchant.WaitForAsync(id, b => b.Str("status") == "Sent");
        var services = suite.Runtime.Services;
        var send = new SendMessage($"{id}.email.initial", merchant.Merchant.Id, id, Channel.Email, SendMessage.InitialPurpose, DateTimeOffset.UtcNow);
        ReceiveSendMessage WithConsumer(IChangeConsumer consumer) => ActivatorUtilities.CreateInstance<ReceiveSendMessage>(services,
            ActivatorUtilities.CreateInstance<SendLifecycle>(services,
                new PaymentRequestChanges(services.GetRequiredService<IPaymentRequestStore>(), services.GetRequiredService<IEventLog>(),
                    new ChangePublisher(() => [consumer]), TimeProvider.System)));

        // Its consumers (a batch's count, say) failed on every delivery: the last one's failure is kept, not dropped.
        await Should.ThrowAsync<InvalidOperationException>(() =>
            WithConsumer(new FailingConsumer()).RecordDeadLetteredAsync(send, "Undeliverable after 5 deliveries (TimeoutException).", CancellationToken.None));

        // Once they take it, the change is told again, with the request as it stands, and the record is left as sent.
        var told = new RecordingConsumer();
        await WithConsumer(told).RecordDeadLetteredAsync(send, "Undeliverable after 6 deliveries (TimeoutException).", CancellationToken.None);
        told.Changes.ShouldHaveSingleItem().Request.ShouldNotBeNull().Status.ShouldBe(PaymentRequestStatus.Sent);
        var record = (await services.GetRequiredService<IDeliveryStore>().FindAsync(merchant.Merchant.Id, id, send.SendId, CancellationToken.None))!.Value;
        record.Status.ShouldBeOneOf(DeliveryStatus.Sent, DeliveryStatus.Delivered);
        record.ErrorCode.ShouldBeNull();
    }

    private sealed class FailingConsumer : IChangeConsumer
    {
        public Task OnChangeAsync(Change change, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The consumer's storage is unavailable.");
    }

    private sealed class RecordingConsumer : IChangeConsumer
    {
        public List<Change> Changes { get; } = [];

        public Task OnChangeAsync(Change change, CancellationToken cancellationToken)
        {
            Changes.Add(change);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task An_unreadable_message_is_moved_to_the_poison_queue()
    {
        await suite.Storage.Queues.GetQueueClient(StorageNames.SmsQueue).SendMessageAsync("{\"not\":\"a send\"");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        var poisoned = 0;
        while (poisoned == 0 && DateTime.UtcNow < deadline)
        {
            var peeked = await suite.Storage.Queues.GetQueueClient(StorageNames.SmsQueue + StorageNames.PoisonSuffix).PeekMessagesAsync(32);
            poisoned = peeked.Value.Count(m => m.Body.ToString() == "{\"not\":\"a send\"");
            await Task.Delay(100);
        }

        poisoned.ShouldBe(1);
    }

    [Fact]
    public async Task A_cancelled_request_is_not_sent()
    {
        var merchant = await suite.NewMerchantAsync();
        var address = NewEmail();
        suite.Provider.Plan(address, SendOutcome.Transient("throttled", "429"));
        var id = (await (await merchant.CreateAsync(EmailOnly(address))).JsonAsync()).Str("requestId");
        await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{id}", new { status = "Cancelled" });

        var body = await merchant.WaitForAsync(id, b => b.GetProperty("deliveries").EnumerateArray().Any(d => d.Str("status") == "Skipped"));

        body.GetProperty("deliveries").EnumerateArray().Single().Str("status").ShouldBe("Skipped");
        body.Str("status").ShouldBe("Cancelled");
        (await suite.Outbox.ForRequestAsync(id, 0)).ShouldBeEmpty();
    }

    private async Task<List<SendMessage>> PoisonedAsync(string queue)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<SendMessage> found = [];
        while (DateTime.UtcNow < deadline)
        {
            var peeked = await suite.Storage.Queues.GetQueueClient(queue + StorageNames.PoisonSuffix).PeekMessagesAsync(32);
            found = peeked.Value.Select(m => m.Body.ToString()).Where(b => b.Contains("sendId")).Select(SendMessageJson.Deserialize).ToList();
            if (found.Count > 0)
            {
                return found;
            }

            await Task.Delay(100);
        }

        return found;
    }
}
