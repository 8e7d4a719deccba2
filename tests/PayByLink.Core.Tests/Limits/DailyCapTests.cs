using PayByLink.Core.Domain;
using PayByLink.Core.Limits;
using PayByLink.Core.PaymentRequests;
using PayByLink.Testing;

namespace PayByLink.Core.Tests.Limits;

public class DailyCapTests
{
    private static async Task<Merchant> CappedMerchantAsync(InMemorySuite suite, int sms, int emails)
    {
        var merchant = new Merchant("capped", "Capped", "GBP", 5000m, OwnLimits: MerchantLimits.Default with { DailySms = sms, DailyEmails = emails });
        await suite.Merchants.TryAddAsync(merchant, CancellationToken.None);
        return merchant;
    }

    [Fact]
    public async Task Creates_past_a_daily_cap_are_refused_with_the_cap_and_the_count_and_make_nothing()
    {
        using var suite = new InMemorySuite();
        var merchant = await CappedMerchantAsync(suite, sms: 2, emails: 5);
        var creates = suite.Get<CreatePaymentRequest>();

        (await creates.ExecuteAsync(merchant, TestData.ValidInput("A-1"), TestData.Caller, CancellationToken.None)).Outcome.ShouldBe(CreateOutcome.Created);
        (await creates.ExecuteAsync(merchant, TestData.ValidInput("A-2"), TestData.Caller, CancellationToken.None)).Outcome.ShouldBe(CreateOutcome.Created);
        var refused = await creates.ExecuteAsync(merchant, TestData.ValidInput("A-3"), TestData.Caller, CancellationToken.None);

        refused.Outcome.ShouldBe(CreateOutcome.DailyCapReached);
        refused.Cap.ShouldBe(new CapReached(Channel.Sms, 2, 2, 1));
        refused.Cap!.Message.ShouldBe("The daily cap of 2 SMS messages would be passed: 2 are counted today and this would add 1.");
        (await suite.Requests.FindClaimAsync(merchant.Id, "A-3", CancellationToken.None)).ShouldBeNull();
        suite.Sends.Published.Count.ShouldBe(4, "two requests, each by SMS and email");
    }

    [Fact]
    public async Task A_repeat_of_a_request_already_made_is_answered_as_before_at_the_cap()
    {
        using var suite = new InMemorySuite();
        var merchant = await CappedMerchantAsync(suite, sms: 1, emails: 5);
        var creates = suite.Get<CreatePaymentRequest>();
        await creates.ExecuteAsync(merchant, TestData.ValidInput("B-1"), TestData.Caller, CancellationToken.None);

        var repeat = await creates.ExecuteAsync(merchant, TestData.ValidInput("B-1"), TestData.Caller, CancellationToken.None);

        repeat.Outcome.ShouldBe(CreateOutcome.AlreadyExists);
        (await suite.MessageCounts.ReadAsync(merchant.Id, DateOnly.FromDateTime(suite.Clock.GetUtcNow().UtcDateTime), CancellationToken.None))[Channel.Sms]
            .ShouldBe(1, "a repeat counts nothing");
    }

    [Fact]
    public async Task The_caps_count_each_channel_and_start_again_on_the_merchants_next_day()
    {
        using var suite = new InMemorySuite();
        var merchant = await CappedMerchantAsync(suite, sms: 5, emails: 1);
        var creates = suite.Get<CreatePaymentRequest>();
        await creates.ExecuteAsync(merchant, TestData.ValidInput("C-1"), TestData.Caller, CancellationToken.None);

        var emailCapped = await creates.ExecuteAsync(merchant, TestData.ValidInput("C-2"), TestData.Caller, CancellationToken.None);
        var smsOnly = await creates.ExecuteAsync(merchant, TestData.ValidInput("C-3") with { Channels = ["sms"] }, TestData.Caller, CancellationToken.None);
        suite.Clock.Advance(TimeSpan.FromDays(1));
        var tomorrow = await creates.ExecuteAsync(merchant, TestData.ValidInput("C-4"), TestData.Caller, CancellationToken.None);

        emailCapped.Cap!.Channel.ShouldBe(Channel.Email);
        smsOnly.Outcome.ShouldBe(CreateOutcome.Created);
        tomorrow.Outcome.ShouldBe(CreateOutcome.Created);
    }
}
