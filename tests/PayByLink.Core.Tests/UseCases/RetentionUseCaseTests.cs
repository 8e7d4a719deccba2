using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Scheduling;
using PayByLink.Testing;

namespace PayByLink.Core.Tests.UseCases;

/// <summary>The timer erasing the personal data of requests past their merchant's retention, over in-memory ports.</summary>
public class RetentionUseCaseTests
{
    private static async Task<PaymentRequest> ReadAsync(InMemorySuite suite, Merchant merchant, string id) =>
        (await suite.Requests.FindAsync(merchant.Id, id, CancellationToken.None))!.Value;

    [Fact]
    public async Task A_request_paid_early_and_one_that_expired_keep_their_data_for_the_retention_after_they_ended_and_then_lose_it()
    {
        using var suite = new InMemorySuite();
        var merchant = await suite.NewMerchantAsync();
        var create = suite.Get<CreatePaymentRequest>();
        var paid = (await create.ExecuteAsync(merchant, TestData.ValidInput("R-PAID"), TestData.Caller, CancellationToken.None)).Request!.RequestId;
        var expiring = (await create.ExecuteAsync(merchant, TestData.ValidInput("R-EXP"), TestData.Caller, CancellationToken.None)).Request!.RequestId;
        await suite.DeliverSendsAsync();
        var schedule = suite.Get<RunSchedule>();

        suite.Clock.Advance(TimeSpan.FromDays(1));
        await suite.Get<PaymentRequestChanges>().ExecuteAsync(merchant.Id, paid, PaymentRequestStatus.Paid, TestData.Caller, CancellationToken.None);
        var paidAt = suite.Clock.GetUtcNow();

        // Day 14: the expiry finds one paid (its erasure is set for 90 days after its payment) and expires the other.
        suite.Clock.Advance(TimeSpan.FromDays(13) + TimeSpan.FromHours(1));
        await schedule.ExecuteAsync(CancellationToken.None);
        (await ReadAsync(suite, merchant, expiring)).Status.ShouldBe(PaymentRequestStatus.Expired);
        var expiredAt = (await ReadAsync(suite, merchant, expiring)).UpdatedAt;

        suite.Clock.SetUtcNow(paidAt + TimeSpan.FromDays(90) - TimeSpan.FromHours(1));
        await schedule.ExecuteAsync(CancellationToken.None);
        (await ReadAsync(suite, merchant, paid)).Content.Customer.LastName.ShouldBe("Smith", "kept until 90 days after it ended");

        suite.Clock.SetUtcNow(paidAt + TimeSpan.FromDays(90) + TimeSpan.FromMinutes(1));
        await schedule.ExecuteAsync(CancellationToken.None);
        var erased = await ReadAsync(suite, merchant, paid);
        (erased.Status, erased.Content.Customer.LastName, erased.Content.Customer.MobileNumber, erased.Content.Amount)
            .ShouldBe((PaymentRequestStatus.Paid, "", null, 120.50m), "the anonymous record stays for the merchant's totals");
        (await suite.Get<IEventLog>().ListAsync(merchant.Id, paid, CancellationToken.None))[^1].Type.ShouldBe(EventTypes.RequestErased);
        (await ReadAsync(suite, merchant, expiring)).Content.Customer.LastName.ShouldBe("Smith");

        suite.Clock.SetUtcNow(expiredAt + TimeSpan.FromDays(90) + TimeSpan.FromMinutes(1));
        await schedule.ExecuteAsync(CancellationToken.None);
        (await ReadAsync(suite, merchant, expiring)).Content.Customer.LastName.ShouldBeEmpty();
        (await suite.Schedule.DueAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, CancellationToken.None)).ShouldBeEmpty("nothing is left to do");
    }

    [Fact]
    public async Task A_merchants_own_retention_counts_and_a_request_found_past_it_is_erased_at_once()
    {
        using var suite = new InMemorySuite();
        var merchant = await suite.NewMerchantAsync() with { OwnRetention = new Retention(7, 30) };
        await suite.Merchants.UpdateAsync(merchant, CancellationToken.None);
        var id = (await suite.Get<CreatePaymentRequest>().ExecuteAsync(merchant, TestData.ValidInput(), TestData.Caller, CancellationToken.None)).Request!.RequestId;
        await suite.Get<PaymentRequestChanges>().ExecuteAsync(merchant.Id, id, PaymentRequestStatus.Cancelled, TestData.Caller, CancellationToken.None);
        var schedule = suite.Get<RunSchedule>();

        suite.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromHours(1)); // its expiry event finds it cancelled
        await schedule.ExecuteAsync(CancellationToken.None);
        (await ReadAsync(suite, merchant, id)).ErasedAt.ShouldNotBeNull("cancelled 14 days ago, kept 7");
    }

    [Fact]
    public void Retention_outside_a_day_to_ten_years_is_refused()
    {
        new Retention(0, 30).Problem().ShouldNotBeNull();
        new Retention(90, 3651).Problem().ShouldNotBeNull();
        Retention.Default.ShouldBe(new Retention(90, 30));
        Retention.Default.Problem().ShouldBeNull();
    }
}
