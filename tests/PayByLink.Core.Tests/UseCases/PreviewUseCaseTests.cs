using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Testing;

namespace PayByLink.Core.Tests.UseCases;

/// <summary>What a create would send, shown before it is sent: the same words and the same counts as the send.</summary>
public class PreviewUseCaseTests
{
    [Fact]
    public async Task The_preview_is_what_the_customer_then_gets_but_for_the_links_code_and_its_counts_are_the_sends()
    {
        using var suite = new InMemorySuite();
        var merchant = await suite.NewMerchantAsync();
        var input = TestData.ValidInput();

        var preview = suite.Get<PreviewPaymentRequest>().Execute(merchant, input).Value!;
        var created = (await suite.Get<CreatePaymentRequest>().ExecuteAsync(merchant, input, TestData.Caller, CancellationToken.None)).Request!;
        await suite.DeliverSendsAsync();

        var sms = (string)suite.Providers.Messages[$"{created.RequestId}.sms.initial"];
        sms.Replace(created.ShortCode, "AbCdEfGh12").ShouldBe(preview.Sms);
        SmsEncoding.Measure(sms).ShouldBe(preview.SmsLength);
        preview.SmsLength!.Alphabet.ShouldBe(SmsAlphabet.Gsm7);
        var email = (EmailContent)suite.Providers.Messages[$"{created.RequestId}.email.initial"];
        email.Subject.ShouldBe(preview.Email!.Subject);
        email.PlainText.Length.ShouldBe(preview.Email.PlainText.Length, "the token is a stand-in of the same length");
    }

    [Fact]
    public async Task A_name_outside_gsm7_is_counted_in_ucs2_segments_and_a_refused_input_names_its_fields_with_the_creates_rules()
    {
        using var suite = new InMemorySuite();
        var merchant = await suite.NewMerchantAsync();
        var preview = suite.Get<PreviewPaymentRequest>();

        var wide = preview.Execute(merchant, TestData.ValidInput() with { Reason = "Rent for Łódź flat, ąę" }).Value!;
        wide.SmsLength!.Alphabet.ShouldBe(SmsAlphabet.Ucs2);
        wide.SmsLength.Segments.ShouldBe(wide.Sms!.Length <= 70 ? 1 : (wide.Sms.Length + 66) / 67);

        var smsOnly = preview.Execute(merchant, TestData.ValidInput() with
        {
            Customer = new CustomerInput { FirstName = "Jo", LastName = "Bloggs", MobileNumber = "07700 900321" },
        }).Value!;
        (smsOnly.Sms is null, smsOnly.Email is null).ShouldBe((false, true));

        var refused = preview.Execute(merchant, TestData.ValidInput() with { Amount = -1m, Reason = "see www.evil.example" });
        refused.IsValid.ShouldBeFalse();
        refused.Errors.Select(e => e.Field).ShouldBe(
            PaymentRequestRules.Validate(TestData.ValidInput() with { Amount = -1m, Reason = "see www.evil.example" }, merchant, suite.Clock.GetUtcNow())
                .Errors.Select(e => e.Field));
        refused.Errors.Select(e => e.Field).ShouldContain("reason");
    }
}
