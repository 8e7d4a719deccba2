using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Reporting;
using PayByLink.Core.Webhooks;
using PayByLink.Testing;
using PayByLink.Testing.InMemory;

namespace PayByLink.Core.Tests.UseCases;

/// <summary>A merchant's daily figures, counted from the changes as they happen (in memory), and the ranges they are read for.</summary>
public class StatsUseCaseTests
{
    private static InMemorySuite Suite() => new(configure: services =>
    {
        services.AddSingleton<IStatsStore, InMemoryStats>();
        services.AddSingleton<MerchantStats>();
        services.AddSingleton(sp => new ChangePublisher(() => [sp.GetRequiredService<WebhookDispatch>(), sp.GetRequiredService<MerchantStats>()]));
    });

    [Fact]
    public async Task Sends_receipts_openings_and_payments_are_counted_once_each_on_the_merchants_day()
    {
        using var suite = Suite();
        suite.Clock.SetUtcNow(new DateTimeOffset(2027, 6, 30, 23, 30, 0, TimeSpan.Zero)); // 00:30 on 1 July in London
        var merchant = await suite.NewMerchantAsync();
        var first = (await suite.Get<CreatePaymentRequest>().ExecuteAsync(merchant, TestData.ValidInput("A-1"), TestData.Caller, CancellationToken.None)).Request!;
        await suite.Get<CreatePaymentRequest>().ExecuteAsync(merchant, TestData.ValidInput("A-2") with { Amount = 10m }, TestData.Caller, CancellationToken.None);
        await suite.DeliverSendsAsync();
        var changes = suite.Get<PaymentRequestChanges>();
        await changes.ExecuteAsync(merchant.Id, first.RequestId, PaymentRequestStatus.Paid, TestData.Caller, CancellationToken.None);

        // Every change heard again, as after a crash: nothing counts twice.
        var stats = suite.Get<MerchantStats>();
        foreach (var e in await suite.Get<IEventLog>().ListAsync(merchant.Id, first.RequestId, CancellationToken.None))
        {
            await stats.OnChangeAsync(new Change(merchant.Id, first.RequestId, [e], first), CancellationToken.None);
        }

        var report = await stats.ReadAsync(merchant, new DateOnly(2027, 6, 30), new DateOnly(2027, 7, 1), CancellationToken.None);
        report.Days.Select(d => d.Date).ShouldBe([new DateOnly(2027, 6, 30), new DateOnly(2027, 7, 1)]);
        report.Days[0].Stats.ShouldBe(DayStats.Empty, "nothing happened on the merchant's 30 June");
        var day = report.Days[1].Stats;
        (day.SentSms, day.SentEmail, day.Delivered, day.Opened, day.Paid).ShouldBe((2, 2, 0, 0, 1));
        day.Collected.ShouldBe(new Dictionary<string, decimal> { ["GBP"] = 120.50m });
        report.Conversion.ShouldBe(0.25, "one paid for four links sent");
    }

    [Theory]
    [InlineData(null, null, "2027-02-23", "2027-03-01")]
    [InlineData("2027-02-01", "2027-02-28", "2027-02-01", "2027-02-28")]
    [InlineData(null, "2027-02-10", "2027-02-04", "2027-02-10")]
    public void A_range_is_the_last_7_days_unless_given(string? from, string? to, string start, string end)
    {
        var range = StatsRange.Parse(TestData.AcmeEnergy, from, to, new DateTimeOffset(2027, 3, 1, 10, 0, 0, TimeSpan.Zero)).Value!;
        (StatsRange.Text(range.From), StatsRange.Text(range.To)).ShouldBe((start, end));
    }

    [Theory]
    [InlineData("01/02/2027", null, "from", "invalid_date")]
    [InlineData("2027-03-01", "2027-02-01", "from", "after_to")]
    [InlineData(null, "2027-03-02", "to", "in_the_future")]
    [InlineData("2025-01-01", "2027-03-01", "from", "range_too_long")]
    public void A_bad_range_names_its_field(string? from, string? to, string field, string code)
    {
        var error = StatsRange.Parse(TestData.AcmeEnergy, from, to, new DateTimeOffset(2027, 3, 1, 10, 0, 0, TimeSpan.Zero)).Errors.Single();
        (error.Field, error.Code).ShouldBe((field, code));
    }
}
