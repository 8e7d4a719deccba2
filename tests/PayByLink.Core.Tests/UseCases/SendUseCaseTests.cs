using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Testing;

namespace PayByLink.Core.Tests.UseCases;

/// <summary>A send over in-memory ports: each rule of <see cref="SendLifecycle"/> as the sender meets it.</summary>
public class SendUseCaseTests
{
    private const string Mobile = "+447700900123";
    private const string Email = "jane@example.com";

    private static async Task<(InMemorySuite Suite, Merchant Merchant, string RequestId)> CreatedAsync(RetryPolicy? retries = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null)
    {
        var suite = new InMemorySuite(retries, configure: configure);
        var merchant = await suite.NewMerchantAsync();
        var created = await suite.Get<CreatePaymentRequest>().ExecuteAsync(merchant, TestData.ValidInput(), TestData.Caller, CancellationToken.None);
        return (suite, merchant, created.Request!.RequestId);
    }

    private static async Task<DeliveryRecord> RecordAsync(InMemorySuite suite, Merchant merchant, string requestId, Channel channel) =>
        (await ((IDeliveryStore)suite.Requests).FindAsync(merchant.Id, requestId, $"{requestId}.{channel.Name()}.initial", CancellationToken.None))!.Value;

    private static async Task<PaymentRequestStatus> StatusAsync(InMemorySuite suite, Merchant merchant, string requestId) =>
        (await suite.Requests.FindAsync(merchant.Id, requestId, CancellationToken.None))!.Value.Status;

    [Fact]
    public async Task Each_channel_is_sent_once_and_the_first_send_moves_the_request_to_sent()
    {
        var (suite, merchant, id) = await CreatedAsync();
        using var _ = suite;

        (await suite.DeliverSendsAsync()).ShouldBe(2);

        suite.Providers.CallsTo(Mobile).ShouldBe(1);
        suite.Providers.CallsTo(Email).ShouldBe(1);
        (await RecordAsync(suite, merchant, id, Channel.Sms)).Status.ShouldBe(DeliveryStatus.Sent);
        (await StatusAsync(suite, merchant, id)).ShouldBe(PaymentRequestStatus.Sent);
        var events = await suite.Get<Core.Events.IEventLog>().ListAsync(merchant.Id, id, CancellationToken.None);
        events.Select(e => e.Type).ShouldBe(["payment_request.created", "payment_request.sent", "payment_request.sent"]);
    }

    [Fact]
    public async Task A_message_delivered_twice_sends_once()
    {
        var (suite, merchant, id) = await CreatedAsync();
        using var _ = suite;
        await suite.Sends.PublishAsync([suite.Sends.Published[0]], CancellationToken.None); // a duplicate of the SMS send

        (await suite.DeliverSendsAsync()).ShouldBe(3, "the duplicate was received and settled");

        suite.Providers.CallsTo(Mobile).ShouldBe(1);
        suite.Sends.Queue.Count.ShouldBe(0);
    }

    [Fact]
    public async Task An_opted_out_recipient_is_skipped_and_a_request_with_no_channel_left_fails()
    {
        var (suite, merchant, id) = await CreatedAsync();
        using var _ = suite;
        await suite.OptOutStore.SaveAsync(merchant.Id, new OptOut(Channel.Sms, Mobile, OptOutSource.Merchant, suite.Clock.GetUtcNow()), CancellationToken.None);
        await suite.OptOutStore.SaveStopAsync(suite.Providers.From, Mobile, suite.Clock.GetUtcNow(), CancellationToken.None);
        await suite.OptOutStore.SaveAsync(merchant.Id, new OptOut(Channel.Email, Email, OptOutSource.Unsubscribe, suite.Clock.GetUtcNow()), CancellationToken.None);

        await suite.DeliverSendsAsync();

        suite.Providers.Calls.ShouldBeEmpty();
        var sms = await RecordAsync(suite, merchant, id, Channel.Sms);
        (sms.Status, sms.ErrorCode).ShouldBe((DeliveryStatus.Skipped, DeliveryRecord.OptedOut));
        (await RecordAsync(suite, merchant, id, Channel.Email)).ErrorReason.ShouldBe("The customer unsubscribed from the merchant's emails.");
        (await StatusAsync(suite, merchant, id)).ShouldBe(PaymentRequestStatus.Failed);
    }

    [Fact]
    public async Task A_permanent_refusal_fails_the_send_at_once_with_the_providers_reason_and_the_other_channel_still_goes()
    {
        var (suite, merchant, id) = await CreatedAsync();
        using var _ = suite;
        suite.Providers.Plan(Mobile, SendOutcome.Permanent("InvalidRecipient", "The provider refused the message."));

        await suite.DeliverSendsAsync();

        var sms = await RecordAsync(suite, merchant, id, Channel.Sms);
        (sms.Status, sms.ErrorCode, sms.Attempts).ShouldBe((DeliveryStatus.Failed, "InvalidRecipient", 1));
        suite.Providers.CallsTo(Mobile).ShouldBe(1);
        (await StatusAsync(suite, merchant, id)).ShouldBe(PaymentRequestStatus.Sent, "the email went");
    }

    [Fact]
    public async Task A_transient_failure_is_tried_again_after_the_backoff_and_the_last_attempt_fails_it_and_dead_letters_it()
    {
        var (suite, merchant, id) = await CreatedAsync(new RetryPolicy(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), 3));
        using var _ = suite;
        var transient = SendOutcome.Transient("http_503", "The provider could not take the message just now (HTTP 503).");
        suite.Providers.Plan(Mobile, transient, transient, transient);

        await suite.DeliverSendsAsync();
        (await RecordAsync(suite, merchant, id, Channel.Sms)).Status.ShouldBe(DeliveryStatus.Retrying);
        suite.Providers.CallsTo(Mobile).ShouldBe(1, "the retry waits for its backoff");

        await suite.DeliverSendsAsync(upTo: TimeSpan.FromMinutes(5));

        suite.Providers.CallsTo(Mobile).ShouldBe(3);
        var sms = await RecordAsync(suite, merchant, id, Channel.Sms);
        (sms.Status, sms.Attempts).ShouldBe((DeliveryStatus.Failed, 3));
        sms.ErrorReason.ShouldStartWith("Gave up after 3 attempts");
        suite.Sends.Queue.Poisoned.ShouldHaveSingleItem().SendId.ShouldBe($"{id}.sms.initial");
    }

    [Fact]
    public async Task A_throttled_send_comes_back_after_the_providers_retry_after_as_the_same_attempt_and_pauses_the_channel()
    {
        var (suite, merchant, id) = await CreatedAsync(new RetryPolicy(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), 2));
        using var _ = suite;
        suite.Providers.Plan(Mobile, SendOutcome.Throttled("TooManyRequests", TimeSpan.FromSeconds(7)), SendOutcome.Throttled("TooManyRequests", TimeSpan.FromSeconds(7)));

        await suite.DeliverSendsAsync();
        var throttled = await RecordAsync(suite, merchant, id, Channel.Sms);
        (throttled.Status, throttled.Attempts).ShouldBe((DeliveryStatus.Retrying, 0), "throttling spends no attempt");
        suite.Sends.Queue.NextVisibleAt.ShouldBe(suite.Clock.GetUtcNow() + TimeSpan.FromSeconds(7));

        await suite.DeliverSendsAsync(upTo: TimeSpan.FromMinutes(1));

        suite.Providers.CallsTo(Mobile).ShouldBe(3, "two throttled calls do not use up two attempts of two");
        (await RecordAsync(suite, merchant, id, Channel.Sms)).Status.ShouldBe(DeliveryStatus.Sent);
    }

    [Fact]
    public async Task A_send_another_sender_holds_waits_for_its_lease_and_one_left_mid_call_waits_for_its_receipt_before_it_is_sent_again()
    {
        var retries = new RetryPolicy(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), 6, receiptWait: TimeSpan.FromMinutes(2), sendingLease: TimeSpan.FromSeconds(20));
        var (suite, merchant, id) = await CreatedAsync(retries);
        using var _ = suite;
        var sends = suite.Get<SendLifecycle>();
        var message = suite.Sends.Published.Single(s => s.Channel == Channel.Sms);
        var claimed = (await sends.TryClaimAsync(SendLifecycle.New(message, "+44***", suite.Clock.GetUtcNow()), null, CancellationToken.None))!;

        var deliver = suite.Get<DeliverSend>();
        var held = await deliver.ExecuteAsync(message, 2, false, CancellationToken.None);
        held.RetryAfter.ShouldBe(TimeSpan.FromSeconds(20), "its sender holds it");

        suite.Clock.Advance(TimeSpan.FromSeconds(30));
        var awaitingReceipt = await deliver.ExecuteAsync(message, 2, false, CancellationToken.None);
        awaitingReceipt.RetryAfter.ShouldBe(TimeSpan.FromSeconds(90), "its sender stopped mid-call: the provider may have it, and its receipt would say");
        suite.Providers.CallsTo(Mobile).ShouldBe(0);

        suite.Clock.Advance(TimeSpan.FromSeconds(90));
        (await deliver.ExecuteAsync(message, 2, false, CancellationToken.None)).Finished.ShouldBeTrue();
        suite.Providers.CallsTo(Mobile).ShouldBe(1);
        var sent = await RecordAsync(suite, merchant, id, Channel.Sms);
        (sent.Status, sent.Attempts).ShouldBe((DeliveryStatus.Sent, claimed.Value.Attempts + 1));
    }

    [Fact]
    public async Task A_send_for_a_request_no_longer_open_is_skipped()
    {
        var (suite, merchant, id) = await CreatedAsync();
        using var _ = suite;
        await suite.Get<PaymentRequestChanges>().ExecuteAsync(merchant.Id, id, PaymentRequestStatus.Cancelled, TestData.Caller, CancellationToken.None);

        await suite.DeliverSendsAsync();

        suite.Providers.Calls.ShouldBeEmpty();
        var sms = await RecordAsync(suite, merchant, id, Channel.Sms);
        (sms.Status, sms.ErrorReason).ShouldBe((DeliveryStatus.Skipped, "The request is Cancelled."));
    }

    [Fact]
    public async Task A_delivery_that_throws_comes_back_after_the_backoff_and_on_its_last_attempt_is_recorded_failed_and_dead_lettered()
    {
        // Storage does not answer when an email's send, before its claim, keeps its provider reference.
        var (suite, merchant, id) = await CreatedAsync(new RetryPolicy(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), 2),
            services => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IDeliveryReferences>(services, new UnavailableReferences()));
        using var _ = suite;

        await suite.DeliverSendsAsync();
        suite.Sends.Queue.Count.ShouldBe(1, "the email comes back after its backoff");
        (await ((IDeliveryStore)suite.Requests).FindAsync(merchant.Id, id, $"{id}.email.initial", CancellationToken.None)).ShouldBeNull("nothing was claimed");

        await suite.DeliverSendsAsync(upTo: TimeSpan.FromMinutes(1));

        var email = await RecordAsync(suite, merchant, id, Channel.Email);
        (email.Status, email.ErrorCode).ShouldBe((DeliveryStatus.Failed, "dead_lettered"));
        email.ErrorReason.ShouldBe("Undeliverable after 2 deliveries (TimeoutException).");
        suite.Sends.Queue.Poisoned.ShouldHaveSingleItem().SendId.ShouldBe($"{id}.email.initial");
        suite.Providers.CallsTo(Email).ShouldBe(0);
        (await StatusAsync(suite, merchant, id)).ShouldBe(PaymentRequestStatus.Sent, "the SMS went");
    }

    private sealed class UnavailableReferences : IDeliveryReferences
    {
        public Task SaveAsync(string reference, SendReference send, CancellationToken cancellationToken) =>
            throw new TimeoutException("The storage account did not answer.");

        public Task<SendReference?> FindAsync(string reference, CancellationToken cancellationToken) => Task.FromResult<SendReference?>(null);
    }

    [Fact]
    public async Task A_sender_that_outlived_its_lease_finds_its_send_taken_over_and_writes_nothing_over_it()
    {
        var retries = new RetryPolicy(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), 6, receiptWait: TimeSpan.FromSeconds(20), sendingLease: TimeSpan.FromSeconds(20));
        var (suite, merchant, id) = await CreatedAsync(retries);
        using var _ = suite;
        var sends = suite.Get<SendLifecycle>();
        var message = suite.Sends.Published.Single(s => s.Channel == Channel.Sms);
        var slow = (await sends.TryClaimAsync(SendLifecycle.New(message, "+44***", suite.Clock.GetUtcNow()), null, CancellationToken.None))!;

        // Its provider call outlasts the lease and the receipt wait: another sender takes the send over and sends it.
        suite.Clock.Advance(TimeSpan.FromSeconds(25));
        (await suite.Get<DeliverSend>().ExecuteAsync(message, 2, false, CancellationToken.None)).Finished.ShouldBeTrue();
        var read = (await suite.Requests.FindAsync(merchant.Id, id, CancellationToken.None))!;

        await Should.ThrowAsync<DeliveryChangedException>(() => sends.RecordSentAsync(read, slow, "late-message-id", CancellationToken.None));

        var sms = await RecordAsync(suite, merchant, id, Channel.Sms);
        (sms.Status, sms.Attempts).ShouldBe((DeliveryStatus.Sent, 2));
        sms.ProviderMessageId.ShouldNotBe("late-message-id");
        (await suite.Get<Core.Events.IEventLog>().ListAsync(merchant.Id, id, CancellationToken.None)).Count(e => e.Type == "payment_request.sent").ShouldBe(1);
    }

    [Fact]
    public async Task Sends_wait_their_turn_at_the_channels_rate_and_a_merchants_single_link_is_not_held_behind_anothers_batch()
    {
        using var suite = new InMemorySuite(rates: new SendRates(SmsPerSecond: 1, EmailPerSecond: 0));
        var busy = await suite.NewMerchantAsync("busy-merchant");
        var other = await suite.NewMerchantAsync("other-merchant");
        var creates = suite.Get<CreatePaymentRequest>();
        PaymentRequestInput SmsOnly(string reference) => TestData.ValidInput(reference) with
        {
            Customer = new CustomerInput { FirstName = "Jane", LastName = "Smith", MobileNumber = "07700 900123" },
        };
        foreach (var reference in new[] { "B-1", "B-2", "B-3" })
        {
            await creates.ExecuteAsync(busy, SmsOnly(reference), TestData.Caller, CancellationToken.None);
        }

        var single = (await creates.ExecuteAsync(other, SmsOnly("S-1"), TestData.Caller, CancellationToken.None)).Request!.RequestId;

        // Four senders take the four messages at once: one goes now, the rest wait for their turns, a second apart.
        var receive = suite.Get<ReceiveSendMessage>();
        var delivering = Enumerable.Range(0, 4).Select(_ => suite.Sends.DeliverOneAsync(receive)).ToList();
        await CallsAsync(suite, 1);
        for (var turn = 2; turn <= 4; turn++)
        {
            suite.Clock.Advance(TimeSpan.FromMilliseconds(999));
            await Task.Delay(20);
            suite.Providers.Calls.Count.ShouldBe(turn - 1, "no send before its turn");
            suite.Clock.Advance(TimeSpan.FromMilliseconds(1));
            await CallsAsync(suite, turn);
        }

        await Task.WhenAll(delivering);
        var order = suite.Providers.Calls.Select(c => c.SendId).ToList();
        order.IndexOf($"{single}.sms.initial").ShouldBeLessThan(3, "the other merchant's link goes before the busy merchant's third send");
    }

    private static async Task CallsAsync(InMemorySuite suite, int count)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(5); suite.Providers.Calls.Count < count && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(5);
        }

        suite.Providers.Calls.Count.ShouldBe(count);
    }
}
