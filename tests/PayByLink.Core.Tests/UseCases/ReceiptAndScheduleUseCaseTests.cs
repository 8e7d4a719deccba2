using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Scheduling;
using PayByLink.Testing;

namespace PayByLink.Core.Tests.UseCases;

/// <summary>Carriers' reports in every order they come in, and the schedule's reminders, over in-memory ports.</summary>
public class ReceiptAndScheduleUseCaseTests
{
    private static async Task<(InMemorySuite Suite, Merchant Merchant, string RequestId)> CreatedAsync(PaymentRequestInput? input = null)
    {
        var suite = new InMemorySuite();
        var merchant = await suite.NewMerchantAsync();
        var created = await suite.Get<CreatePaymentRequest>().ExecuteAsync(merchant, input ?? TestData.ValidInput() with
        {
            Customer = new CustomerInput { FirstName = "Jane", LastName = "Smith", MobileNumber = "07700 900123" },
        }, TestData.Caller, CancellationToken.None);
        created.Outcome.ShouldBe(CreateOutcome.Created, string.Join("; ", created.Errors.Select(e => e.Message)));
        return (suite, merchant, created.Request!.RequestId);
    }

    private static CarrierReport Report(Merchant merchant, string requestId, bool delivered, DateTimeOffset at) =>
        new(Channel.Sms, CarrierReferences.SmsTag(merchant.Id, $"{requestId}.sms.initial"),
            new DeliveryReceipt(delivered, delivered ? "Delivered" : "Failed", null, at));

    private static async Task<DeliveryRecord> SmsAsync(InMemorySuite suite, Merchant merchant, string id) =>
        (await ((IDeliveryStore)suite.Requests).FindAsync(merchant.Id, id, $"{id}.sms.initial", CancellationToken.None))!.Value;

    private static async Task<IReadOnlyList<string>> EventTypesAsync(InMemorySuite suite, Merchant merchant, string id) =>
        (await suite.Get<IEventLog>().ListAsync(merchant.Id, id, CancellationToken.None)).Select(e => e.Type).ToList();

    [Fact]
    public async Task A_receipt_after_the_send_records_it_delivered_once_however_often_it_comes()
    {
        var (suite, merchant, id) = await CreatedAsync();
        using var _ = suite;
        await suite.DeliverSendsAsync();
        var receipts = suite.Get<DeliveryReceipts>();

        await receipts.RecordAsync(Report(merchant, id, true, suite.Clock.GetUtcNow()), CancellationToken.None);
        await receipts.RecordAsync(Report(merchant, id, true, suite.Clock.GetUtcNow()), CancellationToken.None);

        (await SmsAsync(suite, merchant, id)).Status.ShouldBe(DeliveryStatus.Delivered);
        (await EventTypesAsync(suite, merchant, id)).ShouldBe(["payment_request.created", "payment_request.sent", "payment_request.delivered"]);
    }

    [Fact]
    public async Task A_receipt_before_the_sender_recorded_its_send_records_the_send_first_and_the_sender_then_changes_nothing()
    {
        var (suite, merchant, id) = await CreatedAsync();
        using var _ = suite;
        var message = suite.Sends.Published.Single();
        var sends = suite.Get<SendLifecycle>();
        var claimed = (await sends.TryClaimAsync(SendLifecycle.New(message, "+44***", suite.Clock.GetUtcNow()), null, CancellationToken.None))!;

        // The provider took it and the carrier reported before the sender wrote anything more.
        await suite.Get<DeliveryReceipts>().RecordAsync(Report(merchant, id, true, suite.Clock.GetUtcNow()), CancellationToken.None);
        var read = (await suite.Requests.FindAsync(merchant.Id, id, CancellationToken.None))!;
        await sends.RecordSentAsync(read, claimed, "msg-1", CancellationToken.None);

        (await SmsAsync(suite, merchant, id)).Status.ShouldBe(DeliveryStatus.Delivered, "Delivered is never taken back");
        (await suite.Requests.FindAsync(merchant.Id, id, CancellationToken.None))!.Value.Status.ShouldBe(PaymentRequestStatus.Sent);
        (await EventTypesAsync(suite, merchant, id)).ShouldBe(["payment_request.created", "payment_request.sent", "payment_request.delivered"]);
    }

    [Fact]
    public async Task Undeliverable_may_become_delivered_but_delivered_never_becomes_undeliverable()
    {
        var (suite, merchant, id) = await CreatedAsync();
        using var _ = suite;
        await suite.DeliverSendsAsync();
        var receipts = suite.Get<DeliveryReceipts>();

        await receipts.RecordAsync(Report(merchant, id, false, suite.Clock.GetUtcNow()), CancellationToken.None);
        (await SmsAsync(suite, merchant, id)).Status.ShouldBe(DeliveryStatus.Undeliverable);
        await receipts.RecordAsync(Report(merchant, id, true, suite.Clock.GetUtcNow()), CancellationToken.None);
        await receipts.RecordAsync(Report(merchant, id, false, suite.Clock.GetUtcNow()), CancellationToken.None);

        (await SmsAsync(suite, merchant, id)).Status.ShouldBe(DeliveryStatus.Delivered);
        (await EventTypesAsync(suite, merchant, id)).ShouldBe(
            ["payment_request.created", "payment_request.sent", "payment_request.undeliverable", "payment_request.delivered"]);
    }

    [Fact]
    public async Task A_receipt_on_a_skipped_send_or_an_unknown_one_changes_nothing()
    {
        var (suite, merchant, id) = await CreatedAsync();
        using var _ = suite;
        await suite.Get<PaymentRequestChanges>().ExecuteAsync(merchant.Id, id, PaymentRequestStatus.Cancelled, TestData.Caller, CancellationToken.None);
        await suite.DeliverSendsAsync();
        var receipts = suite.Get<DeliveryReceipts>();

        await receipts.RecordAsync(Report(merchant, id, true, suite.Clock.GetUtcNow()), CancellationToken.None);
        await receipts.RecordAsync(Report(merchant, "pr_unknown", true, suite.Clock.GetUtcNow()), CancellationToken.None);

        (await SmsAsync(suite, merchant, id)).Status.ShouldBe(DeliveryStatus.Skipped);
        (await EventTypesAsync(suite, merchant, id)).ShouldBe(["payment_request.created", "payment_request.cancelled"]);
    }

    [Fact]
    public async Task Reminders_go_on_their_days_each_once_and_none_after_the_request_is_paid_or_closed()
    {
        var (suite, merchant, id) = await CreatedAsync(TestData.ValidInput() with
        {
            Customer = new CustomerInput { FirstName = "Jane", LastName = "Smith", MobileNumber = "07700 900123" },
            Reminders = new RemindersInput { EveryDays = 2, Max = 2 },
        });
        using var _ = suite;
        var schedule = suite.Get<RunSchedule>();
        await suite.DeliverSendsAsync();

        suite.Clock.Advance(TimeSpan.FromDays(1));
        await schedule.ExecuteAsync(CancellationToken.None);
        suite.Sends.Published.Count.ShouldBe(1, "no reminder before its day");

        suite.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));
        await schedule.ExecuteAsync(CancellationToken.None);
        await schedule.ExecuteAsync(CancellationToken.None);
        suite.Sends.Published.Select(s => s.Purpose).ShouldBe(["initial", "reminder-1"]);
        await suite.DeliverSendsAsync();
        suite.Providers.Calls.Count.ShouldBe(2);

        await suite.Get<PaymentRequestChanges>().ExecuteAsync(merchant.Id, id, PaymentRequestStatus.Cancelled, TestData.Caller, CancellationToken.None);
        suite.Clock.Advance(TimeSpan.FromDays(3));
        await schedule.ExecuteAsync(CancellationToken.None);
        await suite.DeliverSendsAsync();
        suite.Providers.Calls.Count.ShouldBe(2, "a closed request gets no more reminders");
    }

    [Fact]
    public async Task A_plans_instalments_are_each_sent_once_at_nine_on_their_day_in_the_merchants_zone()
    {
        // The suite's clock starts on 1 March 2027, 10:00 UTC; Europe/London is UTC+0 until 28 March.
        var (suite, merchant, id) = await CreatedAsync(TestData.ValidInput() with
        {
            Amount = 90m,
            Customer = new CustomerInput { FirstName = "Jane", LastName = "Smith", MobileNumber = "07700 900123" },
            RepaymentPlan = new RepaymentPlanInput { Instalments = 3, Frequency = "weekly", FirstPaymentDate = new DateOnly(2027, 3, 2) },
            ExpiresAt = new DateTimeOffset(2027, 4, 30, 0, 0, 0, TimeSpan.Zero),
        });
        using var _ = suite;
        var schedule = suite.Get<RunSchedule>();
        await suite.DeliverSendsAsync();

        suite.Clock.SetUtcNow(new DateTimeOffset(2027, 3, 2, 8, 59, 0, TimeSpan.Zero));
        await schedule.ExecuteAsync(CancellationToken.None);
        suite.Sends.Published.Select(s => s.Purpose).ShouldBe(["initial"], "not before nine");

        suite.Clock.SetUtcNow(new DateTimeOffset(2027, 3, 2, 9, 0, 30, TimeSpan.Zero));
        await schedule.ExecuteAsync(CancellationToken.None);
        await schedule.ExecuteAsync(CancellationToken.None);
        suite.Clock.SetUtcNow(new DateTimeOffset(2027, 3, 9, 9, 1, 0, TimeSpan.Zero));
        await schedule.ExecuteAsync(CancellationToken.None);

        suite.Sends.Published.Select(s => s.Purpose).ShouldBe(["initial", "instalment-1", "instalment-2"]);
        (await suite.Get<RunSchedule>().ExecuteAsync(CancellationToken.None)).ShouldBe(0, "nothing more is due before the third");
    }
}
