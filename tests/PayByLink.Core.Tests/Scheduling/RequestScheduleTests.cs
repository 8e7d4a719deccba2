using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Scheduling;
using static PayByLink.Core.Tests.TestData;

namespace PayByLink.Core.Tests.Scheduling;

public class RequestScheduleTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private static PaymentRequest Request(PaymentRequestInput input) =>
        new(AcmeEnergy.Id, "pr_1", PaymentRequestRules.Validate(input, AcmeEnergy, Now).Value!, PaymentRequestStatus.Pending, "c", "t", Now, Now);

    [Fact]
    public void Reminders_fall_every_n_days_up_to_max_then_the_request_expires()
    {
        var events = RequestSchedule.Events(Request(ValidInput() with { Reminders = new RemindersInput { EveryDays = 3, Max = 2 } }), London);

        events.Select(e => (e.Purpose, e.DueAt)).ShouldBe(
        [
            ("reminder-1", Now.AddDays(3)),
            ("reminder-2", Now.AddDays(6)),
            ("expiry", Now.AddDays(14)),
        ]);
    }

    [Fact]
    public void Reminders_after_expiry_are_dropped() =>
        RequestSchedule.Events(Request(ValidInput() with { Reminders = new RemindersInput { EveryDays = 10, Max = 5 } }), London)
            .Select(e => e.Purpose).ShouldBe(["reminder-1", "expiry"]);

    [Fact]
    public void Instalments_are_due_at_nine_in_the_merchants_time_zone()
    {
        var plan = Request(ValidInput() with
        {
            RepaymentPlan = new RepaymentPlanInput { Instalments = 2, Frequency = "monthly", FirstPaymentDate = new DateOnly(2027, 1, 15) },
        });

        var instalments = RequestSchedule.Events(plan, London).Where(e => e.Purpose.StartsWith("instalment")).ToList();
        var tokyo = RequestSchedule.Events(plan, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).First(e => e.Purpose == "instalment-1");

        instalments.Select(e => e.DueAt).ShouldBe([new DateTimeOffset(2027, 1, 15, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 2, 15, 9, 0, 0, TimeSpan.Zero)]);
        tokyo.DueAt.ShouldBe(new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Next_follows_the_event_just_handled()
    {
        var request = Request(ValidInput() with { Reminders = new RemindersInput { EveryDays = 3, Max = 2 } });
        var first = RequestSchedule.Next(request, London, null)!;

        RequestSchedule.Next(request, London, first)!.Purpose.ShouldBe("reminder-2");
    }

    [Theory]
    [InlineData("2026-11-24T12:00:00Z", "2026-11-24T12:00:00Z")] // midday: now
    [InlineData("2026-11-24T21:30:00Z", "2026-11-25T08:00:00Z")] // evening: next morning
    [InlineData("2026-11-25T03:00:00Z", "2026-11-25T08:00:00Z")] // small hours: this morning
    [InlineData("2027-06-01T20:30:00Z", "2027-06-02T07:00:00Z")] // 21:30 BST: 08:00 BST is 07:00 UTC
    public void Nothing_goes_out_in_quiet_hours(string now, string expected) =>
        RequestSchedule.OutsideQuietHours(DateTimeOffset.Parse(now), London).ShouldBe(DateTimeOffset.Parse(expected));

    [Theory]
    [InlineData("2026-11-25T20:30:00Z", "20:00", "09:00", "2026-11-26T09:00:00Z")] // a merchant's own overnight hours
    [InlineData("2026-11-25T08:30:00Z", "20:00", "09:00", "2026-11-25T09:00:00Z")]
    [InlineData("2026-11-25T19:59:00Z", "20:00", "09:00", "2026-11-25T19:59:00Z")]
    [InlineData("2026-11-25T12:30:00Z", "12:00", "14:00", "2026-11-25T14:00:00Z")] // hours within one day
    [InlineData("2026-11-25T14:00:00Z", "12:00", "14:00", "2026-11-25T14:00:00Z")]
    [InlineData("2026-11-25T11:00:00Z", "12:00", "14:00", "2026-11-25T11:00:00Z")]
    public void A_merchants_own_quiet_hours_hold_sends_until_they_end(string now, string from, string until, string expected) =>
        RequestSchedule.OutsideQuietHours(DateTimeOffset.Parse(now), London, TimeOnly.Parse(from), TimeOnly.Parse(until))
            .ShouldBe(DateTimeOffset.Parse(expected));
}
