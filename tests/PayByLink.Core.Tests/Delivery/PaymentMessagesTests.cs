using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using static PayByLink.Core.Tests.TestData;

namespace PayByLink.Core.Tests.Delivery;

public class PaymentMessagesTests
{
    private const string ShortUrl = "https://pay.example.com/l/AbCdEfGhIj";

    private static PaymentRequest Request(PaymentRequestInput input) =>
        new(AcmeEnergy.Id, "pr_1", PaymentRequestRules.Validate(input, AcmeEnergy, Now).Value!, PaymentRequestStatus.Pending,
            "AbCdEfGhIj", new string('t', 43), Now, Now);

    [Fact]
    public void An_ordinary_sms_names_merchant_amount_reason_passphrase_and_link_in_one_segment()
    {
        var text = PaymentMessages.Sms("Acme Energy", Request(ValidInput() with { Passphrase = "blue heron" }), ShortUrl, "initial");

        text.ShouldBe($"Acme Energy: please pay £120.50 for Invoice 1001. Passphrase: blue heron. Pay securely: {ShortUrl}");
        SmsEncoding.Measure(text).ShouldBe(new SmsLength(SmsAlphabet.Gsm7, text.Length, 1));
    }

    [Fact]
    public void A_long_reason_is_shortened_to_keep_one_segment_but_nothing_else_is()
    {
        var reason = "Quarterly gas and electricity statement for the period ending 30 September, account overdue";
        var text = PaymentMessages.Sms("Acme Energy", Request(ValidInput() with { Reason = reason, Passphrase = "blue heron" }), ShortUrl, "initial");

        SmsEncoding.Measure(text).Segments.ShouldBe(1);
        text.ShouldContain("Quarterly gas");
        text.ShouldContain("...");
        text.ShouldContain("£120.50");
        text.ShouldContain("blue heron");
        text.ShouldEndWith(ShortUrl);
    }

    [Fact]
    public void A_reason_outside_gsm_is_kept_whole_in_ucs2_when_it_fits()
    {
        var text = PaymentMessages.Sms("Acme", Request(ValidInput() with { Reason = "Łódź rent" }), ShortUrl, "initial");

        text.ShouldContain("Łódź rent");
        SmsEncoding.Measure(text).Alphabet.ShouldBe(SmsAlphabet.Ucs2);
    }

    [Fact]
    public void Reminders_and_instalments_say_so_and_ask_for_the_instalment_amount()
    {
        var plan = Request(ValidInput() with
        {
            Amount = 100m,
            RepaymentPlan = new RepaymentPlanInput { Instalments = 3, Frequency = "monthly", FirstPaymentDate = new DateOnly(2026, 12, 1) },
        });

        PaymentMessages.Sms("Acme", plan, ShortUrl, "instalment-3").ShouldStartWith("Acme: instalment 3 due, please pay £33.34");
        PaymentMessages.Sms("Acme", Request(ValidInput()), ShortUrl, "reminder-1").ShouldStartWith("Acme: reminder, please pay £120.50");
    }

    [Fact]
    public void A_plans_email_names_the_instalment_its_due_date_and_the_plans_total()
    {
        var plan = Request(ValidInput() with
        {
            Amount = 100m,
            RepaymentPlan = new RepaymentPlanInput { Instalments = 3, Frequency = "monthly", FirstPaymentDate = new DateOnly(2026, 12, 1) },
        });

        var first = PaymentMessages.Email("Acme", plan, "https://pay.example.com/pay/abc", "initial").PlainText;
        var third = PaymentMessages.Email("Acme", plan, "https://pay.example.com/pay/abc", "instalment-3").PlainText;

        first.ShouldContain("Instalment: 1 of 3: £33.33");
        first.ShouldContain("Plan total: £100.00");
        first.ShouldContain("Pay by: 1 December 2026");
        first.ShouldNotContain("Amount:");
        third.ShouldContain("Instalment: 3 of 3: £33.34");
        third.ShouldContain("Pay by: 1 February 2027");
    }

    [Fact]
    public void Email_has_plain_text_and_html_with_every_value_encoded()
    {
        var request = Request(ValidInput() with
        {
            Reason = "<script>alert('x')</script>",
            Customer = ValidInput().Customer! with { FirstName = "Jo & \"Co\"" },
        });

        var email = PaymentMessages.Email("Acme <Energy>", request, "https://pay.example.com/pay/abc", "initial");

        email.Subject.ShouldBe("Acme <Energy>: please pay £120.50");
        email.PlainText.ShouldContain("For: <script>alert('x')</script>");
        email.PlainText.ShouldContain("https://pay.example.com/pay/abc");
        email.Html.ShouldNotContain("<script>");
        email.Html.ShouldContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        email.Html.ShouldContain("Acme &lt;Energy&gt;");
        email.Html.ShouldContain("Jo &amp; &quot;Co&quot;");
        email.Html.ShouldContain("href=\"https://pay.example.com/pay/abc\"");
    }
}
