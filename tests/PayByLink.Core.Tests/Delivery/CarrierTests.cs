using PayByLink.Core.Batches;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using static PayByLink.Core.Tests.TestData;

namespace PayByLink.Core.Tests.Delivery;

public class CarrierTests
{
    [Fact]
    public void An_sms_tag_names_the_merchant_request_and_send_and_reads_back()
    {
        var tag = CarrierReferences.SmsTag("acme-energy", "pr_abc.sms.reminder-1");

        tag.ShouldBe("acme-energy/pr_abc.sms.reminder-1");
        CarrierReferences.ParseSmsTag(tag).ShouldBe(new SendReference("acme-energy", "pr_abc", "pr_abc.sms.reminder-1"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("pr_abc.sms.initial")]
    [InlineData("/pr_abc.sms.initial")]
    [InlineData("Not A Merchant/pr_abc.sms.initial")]
    [InlineData("acme-energy/")]
    [InlineData("acme-energy/.sms.initial")]
    public void A_tag_that_is_not_ours_names_no_send(string? tag) => CarrierReferences.ParseSmsTag(tag).ShouldBeNull();

    [Fact]
    public void An_emails_operation_id_is_a_guid_the_same_for_the_same_send_and_different_for_another()
    {
        var id = CarrierReferences.EmailOperationId("pr_1.email.initial");

        Guid.TryParse(id, out _).ShouldBeTrue();
        CarrierReferences.EmailOperationId("pr_1.email.initial").ShouldBe(id);
        CarrierReferences.EmailOperationId("pr_1.email.reminder-1").ShouldNotBe(id);
    }

    [Fact]
    public void Every_email_carries_one_click_unsubscribe_headers()
    {
        var email = new EmailToSend("pr_1.email.initial", "jane@example.com", "Jane Smith", new EmailContent("s", "t", "<p>h</p>"),
            CarrierReferences.EmailOperationId("pr_1.email.initial"), new Uri("https://pay.example.com/unsubscribe/tok"));

        email.Headers.ShouldBe(new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = "<https://pay.example.com/unsubscribe/tok>",
            ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
        });
    }

    [Theory]
    [InlineData("STOP", true)]
    [InlineData("stopall", true)]
    [InlineData("Unsubscribe", true)]
    [InlineData("CANCEL", true)]
    [InlineData("End", true)]
    [InlineData("quit", true)]
    [InlineData("STOP!", false)]
    [InlineData("please stop", false)]
    [InlineData("START", false)]
    public void Stop_words_are_matched_whole_in_any_case(string text, bool stops) => OptOuts.StopWords.Contains(text).ShouldBe(stops);

    [Fact]
    public void Start_and_unstop_opt_back_in() => OptOuts.StartWords.ShouldBe(["START", "UNSTOP"], ignoreOrder: true);

    [Fact]
    public void A_send_whose_outcome_is_unknown_waits_15_minutes_for_its_receipt_by_default_and_never_less_than_the_lease()
    {
        RetryPolicy.Default.ReceiptWait.ShouldBe(TimeSpan.FromMinutes(15));
        new RetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 3, TimeSpan.FromMinutes(2)).ReceiptWait.ShouldBe(TimeSpan.FromMinutes(2));
        new RetryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 3, TimeSpan.FromSeconds(1)).ReceiptWait.ShouldBe(RetryPolicy.DefaultSendingLease);
    }

    [Fact]
    public void A_delivered_or_undeliverable_send_is_final()
    {
        var record = new DeliveryRecord("pr_1.sms.initial", "m", "pr_1", Channel.Sms, "initial", DeliveryStatus.Sent, 1, null, null, null, null, Now);

        (record with { Status = DeliveryStatus.Delivered }).IsFinal.ShouldBeTrue();
        (record with { Status = DeliveryStatus.Undeliverable }).IsFinal.ShouldBeTrue();
        (record with { Status = DeliveryStatus.Sending }).IsFinal.ShouldBeFalse();
    }

    [Fact]
    public void A_funnel_tally_counts_each_step_and_sums_amounts_by_currency()
    {
        var tally = FunnelTally.Empty
            .With(FunnelStep.Delivered, 10m, "GBP")
            .With(FunnelStep.Undeliverable, 10m, "GBP")
            .With(FunnelStep.Opened, 10m, "GBP")
            .With(FunnelStep.Paid, 10.50m, "GBP")
            .Plus(FunnelTally.Empty.With(FunnelStep.Paid, 4m, "GBP").With(FunnelStep.Paid, 7m, "EUR"));

        (tally.Delivered, tally.Undeliverable, tally.Opened, tally.Paid).ShouldBe((1, 1, 1, 3));
        tally.AmountPaid.ShouldBe(new Dictionary<string, decimal> { ["GBP"] = 14.50m, ["EUR"] = 7m }, ignoreOrder: true);
    }

    [Fact]
    public void A_change_shows_the_funnel_steps_its_events_and_status_reached()
    {
        var request = new PaymentRequest(AcmeEnergy.Id, "pr_1", PaymentRequestRules.Validate(ValidInput(), AcmeEnergy, Now).Value!,
            PaymentRequestStatus.Sent, "AbCdEfGhIj", new string('t', 43), Now, Now, new BatchLineRef("b_1", 0, 2));
        DomainEvent Event(string type) => new(request.MerchantId, request.RequestId, 2, type, Now, new EventData(request));

        BatchFunnel.Steps(new Change(request.MerchantId, request.RequestId, [Event(EventTypes.RequestSent)], request), request).ShouldBeEmpty();
        BatchFunnel.Steps(new Change(request.MerchantId, request.RequestId, [Event(EventTypes.RequestDelivered)], request), request)
            .ShouldBe([FunnelStep.Delivered]);
        BatchFunnel.Steps(new Change(request.MerchantId, request.RequestId, [Event(EventTypes.RequestUndeliverable)], request), request)
            .ShouldBe([FunnelStep.Undeliverable]);
        var opened = request with { Status = PaymentRequestStatus.Opened };
        BatchFunnel.Steps(new Change(request.MerchantId, request.RequestId, [], opened), opened).ShouldBe([FunnelStep.Opened]);
        var paid = request with { Status = PaymentRequestStatus.Paid };
        BatchFunnel.Steps(new Change(request.MerchantId, request.RequestId, [], paid), paid).ShouldBe([FunnelStep.Paid]);
    }
}
