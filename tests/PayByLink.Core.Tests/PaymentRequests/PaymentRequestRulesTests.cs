using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using static PayByLink.Core.Tests.TestData;

namespace PayByLink.Core.Tests.PaymentRequests;

public class PaymentRequestRulesTests
{
    private static ValidationResult<PaymentRequestContent> Validate(PaymentRequestInput input) =>
        PaymentRequestRules.Validate(input, AcmeEnergy, Now);

    private static void ShouldFail(PaymentRequestInput input, string field, string code)
    {
        var result = Validate(input);
        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldContain(e => e.Field == field && e.Code == code,
            $"errors were: {string.Join("; ", result.Errors.Select(e => $"{e.Field}/{e.Code}"))}");
    }

    [Fact]
    public void A_valid_request_is_normalised_with_defaults()
    {
        var content = Validate(ValidInput()).Value!;

        content.Currency.ShouldBe("GBP");
        content.Customer.MobileNumber.ShouldBe("+447700900123");
        content.Channels.ShouldBe([Channel.Sms, Channel.Email]);
        content.ExpiresAt.ShouldBe(Now.AddDays(14));
    }

    [Fact]
    public void Every_missing_required_field_is_reported_at_once()
    {
        var result = Validate(new PaymentRequestInput());

        result.Errors.Select(e => e.Field).ShouldBe(
            ["clientTransactionRef", "accountReference", "reason", "amount", "customer"], ignoreOrder: true);
    }

    [Theory]
    [InlineData(0, "not_positive")]
    [InlineData(-1, "not_positive")]
    [InlineData(10.001, "too_many_decimals")]
    [InlineData(5000.01, "over_limit")]
    public void Amounts_must_be_positive_in_minor_units_and_within_the_limit(decimal amount, string code) =>
        ShouldFail(ValidInput() with { Amount = amount }, "amount", code);

    [Fact]
    public void The_limit_itself_is_allowed() => Validate(ValidInput() with { Amount = 5000m }).IsValid.ShouldBeTrue();

    [Theory]
    [InlineData("XYZ", "unsupported_currency")]
    [InlineData("EUR", "currency_not_accepted")]
    public void Currency_must_be_known_and_the_merchants(string currency, string code) =>
        ShouldFail(ValidInput() with { Currency = currency }, "currency", code);

    [Fact]
    public void Currency_codes_are_case_insensitive() =>
        Validate(ValidInput() with { Currency = "gbp" }).Value!.Currency.ShouldBe("GBP");

    [Fact]
    public void References_longer_than_50_characters_are_rejected() =>
        ShouldFail(ValidInput() with { ClientTransactionRef = new string('x', 51) }, "clientTransactionRef", "too_long");

    [Fact]
    public void Account_references_longer_than_50_characters_are_rejected() =>
        ShouldFail(ValidInput() with { AccountReference = new string('x', 51) }, "accountReference", "too_long");

    [Fact]
    public void A_reason_or_a_passphrase_is_required() =>
        ShouldFail(ValidInput() with { Reason = "  " }, "reason", "reason_or_passphrase_required");

    [Fact]
    public void A_passphrase_alone_is_enough() =>
        Validate(ValidInput() with { Reason = null, Passphrase = "blue heron" }).IsValid.ShouldBeTrue();

    [Fact]
    public void Control_characters_are_rejected() =>
        ShouldFail(ValidInput() with { Reason = "line\u0000break" }, "reason", "invalid_characters");

    [Theory]
    [InlineData("\u202E")] // right-to-left override
    [InlineData("\u202A")] // left-to-right embedding
    [InlineData("\u2066")] // left-to-right isolate
    [InlineData("\u2069")] // pop directional isolate
    [InlineData("\u2028")] // line separator
    [InlineData("\u2029")] // paragraph separator
    public void Text_direction_and_line_separator_characters_are_rejected_in_names_reasons_and_references(string hidden)
    {
        ShouldFail(ValidInput() with { Reason = $"Invoice {hidden}moc.elpmaxe" }, "reason", "invalid_characters");
        ShouldFail(ValidInput() with { ClientTransactionRef = $"INV{hidden}1" }, "clientTransactionRef", "invalid_characters");
        ShouldFail(ValidInput() with { AccountReference = $"ACC{hidden}1" }, "accountReference", "invalid_characters");
        ShouldFail(ValidInput() with { Customer = ValidInput().Customer! with { LastName = $"Sm{hidden}ith" } }, "customer.lastName", "invalid_characters");
    }

    [Theory]
    [InlineData("verify at https://evil.example")]
    [InlineData("see HTTP://pay.example")]
    [InlineData("go to www.pay-now")]
    [InlineData("pay at pay-now.com today")]
    [InlineData("council-tax.gov.uk")]
    [InlineData("bit.ly/x1")]
    [InlineData("evil\uFF0Ecom")] // a full-width dot
    [InlineData("evil\u3002com")] // an ideographic full stop
    [InlineData("mailto:help@pay")]
    [InlineData("call tel:+447700900123")]
    [InlineData("PAY-NOW.CO")]
    public void Text_that_reads_as_a_link_is_rejected_in_names_reasons_and_references(string link)
    {
        ShouldFail(ValidInput() with { Reason = link }, "reason", "reads_as_link");
        ShouldFail(ValidInput() with { Reason = null, Passphrase = link.Length <= 30 ? link : link[..30] }, "passphrase", "reads_as_link");
        ShouldFail(ValidInput() with { ClientTransactionRef = link }, "clientTransactionRef", "reads_as_link");
        ShouldFail(ValidInput() with { AccountReference = link }, "accountReference", "reads_as_link");
        ShouldFail(ValidInput() with { Customer = ValidInput().Customer! with { FirstName = link } }, "customer.firstName", "reads_as_link");
        ShouldFail(ValidInput() with { Customer = ValidInput().Customer! with { LastName = link } }, "customer.lastName", "reads_as_link");
    }

    [Fact]
    public void The_error_names_the_whole_word_that_reads_as_a_link()
    {
        var errors = Validate(ValidInput() with { Reason = "verify at www.evil-pay.com today" }).Errors;

        errors.Single().Message.ShouldBe(
            "reason must not contain a link or text that reads as one ('www.evil-pay.com'): the payment link is the only link a message carries.");
    }

    [Theory]
    [InlineData("Council tax 2025/26: no. 1001")]
    [InlineData("Invoice INV-2024.001")]
    [InlineData("Meter data: 12.5 kWh")]
    [InlineData("Rent for flat 3, 12 St. John's Road")]
    [InlineData("Balance v1.2 adjustment")]
    [InlineData("J. O'Neil-Smith")]
    [InlineData("Ref: 55/2026")]
    public void Ordinary_text_with_dots_and_colons_is_taken(string text) =>
        Validate(ValidInput() with { Reason = text, AccountReference = text.Length <= 50 ? text : text[..50] }).IsValid.ShouldBeTrue();

    [Fact]
    public void Right_to_left_letters_themselves_are_text_and_taken() =>
        Validate(ValidInput() with { Reason = "فاتورة 1001" }).IsValid.ShouldBeTrue();

    [Fact]
    public void A_customer_needs_a_mobile_number_or_an_email() =>
        ShouldFail(ValidInput() with { Customer = new CustomerInput { FirstName = "Jane", LastName = "Smith" } }, "customer", "contact_required");

    [Fact]
    public void A_bad_mobile_number_is_rejected() =>
        ShouldFail(ValidInput() with { Customer = ValidInput().Customer! with { MobileNumber = "12345" } }, "customer.mobileNumber", "invalid_mobile_number");

    [Fact]
    public void A_bad_email_is_rejected() =>
        ShouldFail(ValidInput() with { Customer = ValidInput().Customer! with { Email = "jane@" } }, "customer.email", "invalid_email");

    [Fact]
    public void Names_are_required() =>
        ShouldFail(ValidInput() with { Customer = ValidInput().Customer! with { FirstName = "" } }, "customer.firstName", "required");

    [Fact]
    public void Channels_default_to_every_channel_the_customer_has()
    {
        var emailOnly = ValidInput() with { Customer = ValidInput().Customer! with { MobileNumber = null } };
        Validate(emailOnly).Value!.Channels.ShouldBe([Channel.Email]);
    }

    [Theory]
    [InlineData("fax", "unknown_channel")]
    [InlineData("sms,sms", "duplicate_channel")]
    public void Channels_must_be_known_and_distinct(string channels, string code) =>
        ShouldFail(ValidInput() with { Channels = channels.Split(',') }, "channels", code);

    [Fact]
    public void A_channel_needs_the_matching_contact_detail() =>
        ShouldFail(ValidInput() with { Channels = ["sms"], Customer = ValidInput().Customer! with { MobileNumber = null } },
            "channels", "channel_unreachable");

    [Fact]
    public void Expiry_must_be_in_the_future() =>
        ShouldFail(ValidInput() with { ExpiresAt = Now.AddMinutes(-1) }, "expiresAt", "not_in_future");

    [Fact]
    public void Expiry_may_be_at_most_90_days_away()
    {
        Validate(ValidInput() with { ExpiresAt = Now.AddDays(90) }).IsValid.ShouldBeTrue();
        ShouldFail(ValidInput() with { ExpiresAt = Now.AddDays(90).AddSeconds(1) }, "expiresAt", "too_far");
    }

    [Fact]
    public void A_plan_is_validated_and_expires_after_its_last_instalment()
    {
        var input = ValidInput() with
        {
            RepaymentPlan = new RepaymentPlanInput { Instalments = 3, Frequency = "Monthly", FirstPaymentDate = new DateOnly(2026, 12, 1) },
        };

        var content = Validate(input).Value!;

        content.RepaymentPlan.ShouldBe(new RepaymentPlan(3, PlanFrequency.Monthly, new DateOnly(2026, 12, 1)));
        content.ExpiresAt.ShouldBe(new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero).AddDays(14));
    }

    [Theory]
    [InlineData(1, "monthly", "repaymentPlan.instalments", "out_of_range")]
    [InlineData(61, "monthly", "repaymentPlan.instalments", "out_of_range")]
    [InlineData(3, "daily", "repaymentPlan.frequency", "invalid_frequency")]
    [InlineData(3, "1", "repaymentPlan.frequency", "invalid_frequency")]
    public void Plan_fields_are_checked(int instalments, string frequency, string field, string code) =>
        ShouldFail(ValidInput() with
        {
            RepaymentPlan = new RepaymentPlanInput { Instalments = instalments, Frequency = frequency, FirstPaymentDate = new DateOnly(2026, 12, 1) },
        }, field, code);

    [Fact]
    public void A_plan_cannot_start_in_the_past() =>
        ShouldFail(ValidInput() with
        {
            RepaymentPlan = new RepaymentPlanInput { Instalments = 3, Frequency = "weekly", FirstPaymentDate = new DateOnly(2026, 11, 23) },
        }, "repaymentPlan.firstPaymentDate", "out_of_range");

    [Fact]
    public void A_plan_cannot_split_an_amount_below_one_minor_unit_each() =>
        ShouldFail(ValidInput() with
        {
            Amount = 0.02m,
            RepaymentPlan = new RepaymentPlanInput { Instalments = 3, Frequency = "weekly", FirstPaymentDate = new DateOnly(2026, 12, 1) },
        }, "repaymentPlan.instalments", "instalment_too_small");

    [Theory]
    [InlineData(0, 3, "reminders.everyDays")]
    [InlineData(31, 3, "reminders.everyDays")]
    [InlineData(3, 0, "reminders.max")]
    [InlineData(3, 11, "reminders.max")]
    public void Reminder_settings_are_bounded(int everyDays, int max, string field) =>
        ShouldFail(ValidInput() with { Reminders = new RemindersInput { EveryDays = everyDays, Max = max } }, field, "out_of_range");

    [Fact]
    public void The_same_request_written_differently_has_the_same_fingerprint()
    {
        var a = Validate(ValidInput()).Value!;
        var b = Validate(ValidInput() with
        {
            Amount = 120.5m,
            Currency = "gbp",
            Customer = ValidInput().Customer! with { MobileNumber = "+44 7700 900123", Email = "jane@EXAMPLE.com" },
            Channels = ["email", "SMS"],
        }).Value!;

        b.Fingerprint.ShouldBe(a.Fingerprint);
    }

    [Fact]
    public void A_different_amount_has_a_different_fingerprint() =>
        Validate(ValidInput() with { Amount = 120.51m }).Value!.Fingerprint.ShouldNotBe(Validate(ValidInput()).Value!.Fingerprint);
}
