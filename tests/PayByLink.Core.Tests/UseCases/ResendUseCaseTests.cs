using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Testing;

namespace PayByLink.Core.Tests.UseCases;

/// <summary>Sending an open request's link again, over in-memory ports.</summary>
public class ResendUseCaseTests
{
    private static async Task<(InMemorySuite Suite, Merchant Merchant, string RequestId)> SentAsync()
    {
        var suite = new InMemorySuite();
        var merchant = await suite.NewMerchantAsync();
        var id = (await suite.Get<CreatePaymentRequest>().ExecuteAsync(merchant, TestData.ValidInput(), TestData.Caller, CancellationToken.None))
            .Request!.RequestId;
        await suite.DeliverSendsAsync();
        return (suite, merchant, id);
    }

    [Fact]
    public async Task The_same_link_goes_again_to_the_same_number_and_then_to_a_corrected_address_which_replaces_the_customers()
    {
        var (suite, merchant, id) = await SentAsync();
        using var _ = suite;
        var resend = suite.Get<ResendPaymentRequest>();

        var again = await resend.ExecuteAsync(merchant, id, new ResendInput("sms", null, null), TestData.Caller, CancellationToken.None);
        var corrected = await resend.ExecuteAsync(merchant, id, new ResendInput("email", null, "Jane.New@Example.com"), TestData.Caller, CancellationToken.None);
        await suite.DeliverSendsAsync();

        (again.Outcome, corrected.Outcome).ShouldBe((ResendOutcome.Resent, ResendOutcome.Resent));
        suite.Providers.CallsTo("+447700900123").ShouldBe(2);
        suite.Providers.CallsTo("Jane.New@example.com").ShouldBe(1);
        suite.Sends.Published.Select(s => s.SendId).ShouldContain($"{id}.sms.resend-1");
        suite.Sends.Published.Select(s => s.SendId).ShouldContain($"{id}.email.resend-2");
        var request = (await suite.Requests.FindAsync(merchant.Id, id, CancellationToken.None))!.Value;
        (request.Content.Customer.Email, request.Resends, request.Status).ShouldBe(("Jane.New@example.com", 2, PaymentRequestStatus.Sent));
        var events = await suite.Get<IEventLog>().ListAsync(merchant.Id, id, CancellationToken.None);
        events.Where(e => e.Type == EventTypes.RequestResent).Select(e => e.Actor).ShouldBe([TestData.Caller, TestData.Caller]);
    }

    [Fact]
    public async Task A_closed_request_a_bad_channel_a_contact_for_the_other_channel_and_a_channel_without_a_recipient_are_refused()
    {
        var (suite, merchant, id) = await SentAsync();
        using var _ = suite;
        var resend = suite.Get<ResendPaymentRequest>();

        (await resend.ExecuteAsync(merchant, id, new ResendInput("fax", null, null), TestData.Caller, CancellationToken.None)).Errors.Single().Field
            .ShouldBe("channel");
        (await resend.ExecuteAsync(merchant, id, new ResendInput("email", "07700 900456", null), TestData.Caller, CancellationToken.None)).Errors.Single()
            .Code.ShouldBe("not_for_channel");
        (await resend.ExecuteAsync(merchant, id, new ResendInput("sms", "12", null), TestData.Caller, CancellationToken.None)).Errors.Single()
            .Code.ShouldBe("invalid_mobile_number");
        (await resend.ExecuteAsync(merchant, "pr_missing", new ResendInput("sms", null, null), TestData.Caller, CancellationToken.None)).Outcome
            .ShouldBe(ResendOutcome.NotFound);

        var smsOnly = (await suite.Get<CreatePaymentRequest>().ExecuteAsync(merchant, TestData.ValidInput("SMS-ONLY") with
        {
            Customer = new CustomerInput { FirstName = "Jo", LastName = "Bloggs", MobileNumber = "07700 900321" },
        }, TestData.Caller, CancellationToken.None)).Request!.RequestId;
        (await resend.ExecuteAsync(merchant, smsOnly, new ResendInput("email", null, null), TestData.Caller, CancellationToken.None)).Errors.Single()
            .Code.ShouldBe("no_recipient");

        await suite.Get<PaymentRequestChanges>().ExecuteAsync(merchant.Id, id, PaymentRequestStatus.Cancelled, TestData.Caller, CancellationToken.None);
        (await resend.ExecuteAsync(merchant, id, new ResendInput("sms", null, null), TestData.Caller, CancellationToken.None)).Outcome
            .ShouldBe(ResendOutcome.Closed);
        suite.Sends.Published.ShouldNotContain(s => s.Purpose.StartsWith("resend-"), "nothing refused was sent");
    }

    [Fact]
    public async Task A_resend_counts_against_the_daily_cap_and_one_past_it_is_refused()
    {
        var (suite, merchant, id) = await SentAsync();
        using var _ = suite;
        var capped = merchant with { OwnLimits = new PayByLink.Core.Limits.MerchantLimits(50, 100, 1, 20_000) };
        await suite.Merchants.UpdateAsync(capped, CancellationToken.None);

        var result = await suite.Get<ResendPaymentRequest>().ExecuteAsync(capped, id, new ResendInput("sms", null, null), TestData.Caller,
            CancellationToken.None);

        (result.Outcome, result.Cap!.Channel).ShouldBe((ResendOutcome.DailyCapReached, Channel.Sms), "the create's SMS used the day's one");
    }
}
