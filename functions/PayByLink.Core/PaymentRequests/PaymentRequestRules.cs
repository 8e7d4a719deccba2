using System.Security.Cryptography;
using System.Text;
using PayByLink.Core.Domain;

namespace PayByLink.Core.PaymentRequests;

/// <summary>
/// Every rule a payment request must meet, whether it arrives by API or in a batch line.
/// Produces the normalised content or the list of field errors, never both.
/// </summary>
public static class PaymentRequestRules
{
    public const int MaxRefLength = 50;
    public const int MaxAccountReferenceLength = 50;
    public const int MaxReasonLength = 140;
    public const int MaxPassphraseLength = 30;
    public const int MaxNameLength = 50;
    public const int MaxTitleLength = 20;
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromDays(14);
    public static readonly TimeSpan MaxExpiry = TimeSpan.FromDays(90);
    public const int MinInstalments = 2;
    public const int MaxInstalments = 60;
    public const int MaxReminderEveryDays = 30;
    public const int MaxReminders = 10;

    public static ValidationResult<PaymentRequestContent> Validate(PaymentRequestInput input, Merchant merchant, DateTimeOffset now)
    {
        var errors = new FieldErrors();

        var reference = RequiredText(input.ClientTransactionRef, "clientTransactionRef", MaxRefLength, errors);
        var accountReference = RequiredText(input.AccountReference, "accountReference", MaxAccountReferenceLength, errors);
        var reason = OptionalText(input.Reason, "reason", MaxReasonLength, errors);
        var passphrase = OptionalText(input.Passphrase, "passphrase", MaxPassphraseLength, errors);
        if (reason is null && passphrase is null && !errors.All.Any(e => e.Field is "reason" or "passphrase"))
        {
            errors.Add("reason", "reason_or_passphrase_required", "Give a reason, a passphrase, or both.");
        }

        var currency = ValidateCurrency(input.Currency, merchant, errors);
        var amount = ValidateAmount(input.Amount, currency, merchant, errors);
        var customer = ValidateCustomer(input.Customer, merchant, errors);
        var channels = ValidateChannels(input.Channels, customer, errors);
        var plan = ValidatePlan(input.RepaymentPlan, amount, currency, now, errors);
        var expiresAt = ValidateExpiry(input.ExpiresAt, plan, now, errors);
        // A request that asks for no reminders gets the merchant's own cadence, if it set one.
        var reminders = input.Reminders is null && plan is null ? merchant.Settings.DefaultReminders : ValidateReminders(input.Reminders, errors);

        if (errors.Any)
        {
            return ValidationResult<PaymentRequestContent>.Invalid(errors.All);
        }

        var fingerprint = Fingerprint(reference!, amount!.Value, currency!.Code, accountReference!, reason, passphrase,
            customer!, channels!, input.ExpiresAt, plan, reminders);
        return ValidationResult<PaymentRequestContent>.Valid(new PaymentRequestContent(
            reference!, amount.Value, currency.Code, accountReference!, reason, passphrase, customer!, channels!,
            expiresAt!.Value, plan, reminders, fingerprint));
    }

    private static string? RequiredText(string? value, string field, int maxLength, FieldErrors errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(field, "required", $"{field} is required.");
            return null;
        }

        return CheckText(text, field, maxLength, errors);
    }

    private static string? OptionalText(string? value, string field, int maxLength, FieldErrors errors)
    {
        var text = value?.Trim();
        return string.IsNullOrEmpty(text) ? null : CheckText(text, field, maxLength, errors);
    }

    private static string? CheckText(string text, string field, int maxLength, FieldErrors errors)
    {
        if (text.Length > maxLength)
        {
            errors.Add(field, "too_long", $"{field} must be at most {maxLength} characters.");
            return null;
        }

        if (text.Any(IsHidden))
        {
            errors.Add(field, "invalid_characters", $"{field} must not contain control, line-separator or text-direction characters.");
            return null;
        }

        if (LinkLikeText.FindLink(text) is { } link)
        {
            errors.Add(field, "reads_as_link",
                $"{field} must not contain a link or text that reads as one ('{link}'): the payment link is the only link a message carries.");
            return null;
        }

        return text;
    }

    /// <summary>
    /// A character that changes how text around it reads rather than being read: control characters, the line and
    /// paragraph separators (U+2028, U+2029), and the bidirectional embeddings, overrides and isolates (U+202A–202E,
    /// U+2066–2069), which can make an SMS or a page show a link or a name other than the one sent.
    /// </summary>
    private static bool IsHidden(char c) => char.IsControl(c) || c is >= '\u2028' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';

    private static Currency? ValidateCurrency(string? code, Merchant merchant, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return Currency.Find(merchant.Currency);
        }

        if (!Currency.TryFind(code, out var currency))
        {
            errors.Add("currency", "unsupported_currency", $"'{code.Trim()}' is not a supported ISO 4217 currency code.");
            return null;
        }

        if (currency.Code != merchant.Currency)
        {
            errors.Add("currency", "currency_not_accepted", $"This merchant takes payments in {merchant.Currency} only.");
            return null;
        }

        return currency;
    }

    private static decimal? ValidateAmount(decimal? amount, Currency? currency, Merchant merchant, FieldErrors errors)
    {
        if (amount is null)
        {
            errors.Add("amount", "required", "amount is required.");
            return null;
        }

        if (amount <= 0)
        {
            errors.Add("amount", "not_positive", "amount must be greater than 0.");
            return null;
        }

        if (currency is not null && !currency.FitsMinorDigits(amount.Value))
        {
            errors.Add("amount", "too_many_decimals", $"amount must have at most {currency.MinorDigits} decimal places for {currency.Code}.");
            return null;
        }

        if (amount > merchant.MaxAmount)
        {
            errors.Add("amount", "over_limit", $"amount must be no more than {Amounts.Canonical(merchant.MaxAmount)}.");
            return null;
        }

        return amount;
    }

    private static Customer? ValidateCustomer(CustomerInput? input, Merchant merchant, FieldErrors errors)
    {
        if (input is null)
        {
            errors.Add("customer", "required", "customer is required.");
            return null;
        }

        var before = errors.All.Count;
        var title = OptionalText(input.Title, "customer.title", MaxTitleLength, errors);
        var firstName = RequiredText(input.FirstName, "customer.firstName", MaxNameLength, errors);
        var lastName = RequiredText(input.LastName, "customer.lastName", MaxNameLength, errors);

        string? mobile = null;
        if (!string.IsNullOrWhiteSpace(input.MobileNumber))
        {
            if (ContactDetails.TryNormaliseMobile(input.MobileNumber, merchant.PhoneRegion, out var e164, out var problem))
            {
                mobile = e164;
            }
            else
            {
                errors.Add("customer.mobileNumber", "invalid_mobile_number", problem!);
            }
        }

        string? email = null;
        if (!string.IsNullOrWhiteSpace(input.Email))
        {
            if (ContactDetails.TryNormaliseEmail(input.Email, out var normalised))
            {
                email = normalised;
            }
            else
            {
                errors.Add("customer.email", "invalid_email", "Not a valid email address.");
            }
        }

        if (string.IsNullOrWhiteSpace(input.MobileNumber) && string.IsNullOrWhiteSpace(input.Email))
        {
            errors.Add("customer", "contact_required", "Give the customer's mobile number, email, or both.");
        }

        return errors.All.Count == before ? new Customer(title, firstName!, lastName!, mobile, email) : null;
    }

    private static IReadOnlyList<Channel>? ValidateChannels(IReadOnlyList<string>? requested, Customer? customer, FieldErrors errors)
    {
        var reachable = new List<Channel>();
        if (customer?.MobileNumber is not null)
        {
            reachable.Add(Channel.Sms);
        }

        if (customer?.Email is not null)
        {
            reachable.Add(Channel.Email);
        }

        if (requested is null || requested.Count == 0)
        {
            return reachable;
        }

        var channels = new List<Channel>();
        foreach (var name in requested)
        {
            if (!Channels.TryParse(name, out var channel))
            {
                errors.Add("channels", "unknown_channel", $"'{name}' is not a channel: use sms or email.");
                return null;
            }

            if (channels.Contains(channel))
            {
                errors.Add("channels", "duplicate_channel", $"'{channel.Name()}' is listed twice.");
                return null;
            }

            channels.Add(channel);
        }

        if (customer is not null)
        {
            foreach (var channel in channels.Where(c => !reachable.Contains(c)))
            {
                errors.Add("channels", "channel_unreachable", channel == Channel.Sms
                    ? "The sms channel needs customer.mobileNumber."
                    : "The email channel needs customer.email.");
                return null;
            }
        }

        channels.Sort();
        return channels;
    }

    private static RepaymentPlan? ValidatePlan(RepaymentPlanInput? input, decimal? amount, Currency? currency, DateTimeOffset now, FieldErrors errors)
    {
        if (input is null)
        {
            return null;
        }

        var before = errors.All.Count;
        if (input.Instalments is not { } instalments || instalments < MinInstalments || instalments > MaxInstalments)
        {
            errors.Add("repaymentPlan.instalments", "out_of_range", $"instalments must be between {MinInstalments} and {MaxInstalments}.");
            instalments = 0;
        }

        if (!Enum.TryParse<PlanFrequency>(input.Frequency?.Trim(), ignoreCase: true, out var frequency) ||
            !Enum.IsDefined(frequency) || int.TryParse(input.Frequency, out _))
        {
            errors.Add("repaymentPlan.frequency", "invalid_frequency", "frequency must be weekly, fortnightly or monthly.");
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (input.FirstPaymentDate is not { } first)
        {
            errors.Add("repaymentPlan.firstPaymentDate", "required", "firstPaymentDate is required.");
            first = default;
        }
        else if (first < today || first > today.AddDays((int)MaxExpiry.TotalDays))
        {
            errors.Add("repaymentPlan.firstPaymentDate", "out_of_range", "firstPaymentDate must be between today and 90 days from now.");
        }

        if (errors.All.Count != before)
        {
            return null;
        }

        var plan = new RepaymentPlan(instalments, frequency, first);
        if (amount is not null && currency is not null &&
            plan.Schedule(amount.Value, currency).Any(i => i.Amount <= 0))
        {
            errors.Add("repaymentPlan.instalments", "instalment_too_small", "The amount is too small to split into that many instalments.");
            return null;
        }

        return plan;
    }

    private static DateTimeOffset? ValidateExpiry(DateTimeOffset? requested, RepaymentPlan? plan, DateTimeOffset now, FieldErrors errors)
    {
        // A plan stays payable until its last instalment date; the expiry limits count from there.
        var from = plan is null ? now : new DateTimeOffset(plan.LastPaymentDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (from < now)
        {
            from = now;
        }

        if (requested is null)
        {
            return from + DefaultExpiry;
        }

        var expiresAt = requested.Value.ToUniversalTime();
        if (expiresAt <= from)
        {
            errors.Add("expiresAt", "not_in_future", plan is null
                ? "expiresAt must be in the future."
                : "expiresAt must be after the last instalment date.");
            return null;
        }

        if (expiresAt > from + MaxExpiry)
        {
            errors.Add("expiresAt", "too_far", plan is null
                ? "expiresAt must be at most 90 days from now."
                : "expiresAt must be at most 90 days after the last instalment date.");
            return null;
        }

        return expiresAt;
    }

    private static Reminders? ValidateReminders(RemindersInput? input, FieldErrors errors)
    {
        if (input is null)
        {
            return null;
        }

        var ok = true;
        if (input.EveryDays is not { } everyDays || everyDays < 1 || everyDays > MaxReminderEveryDays)
        {
            errors.Add("reminders.everyDays", "out_of_range", $"everyDays must be between 1 and {MaxReminderEveryDays}.");
            ok = false;
            everyDays = 0;
        }

        if (input.Max is not { } max || max < 1 || max > MaxReminders)
        {
            errors.Add("reminders.max", "out_of_range", $"max must be between 1 and {MaxReminders}.");
            ok = false;
            max = 0;
        }

        return ok ? new Reminders(everyDays, max) : null;
    }

    /// <summary>
    /// A hash of the request as the merchant asked for it (defaults not filled in), so that an identical
    /// retry matches and any difference in content is a conflict.
    /// </summary>
    private static string Fingerprint(string reference, decimal amount, string currency, string accountReference,
        string? reason, string? passphrase, Customer customer, IReadOnlyList<Channel> channels,
        DateTimeOffset? requestedExpiry, RepaymentPlan? plan, Reminders? reminders)
    {
        var parts = new[]
        {
            reference, Amounts.Canonical(amount), currency, accountReference, reason ?? "", passphrase ?? "",
            customer.Title ?? "", customer.FirstName, customer.LastName, customer.MobileNumber ?? "", customer.Email ?? "",
            string.Join(',', channels.Select(c => c.Name())),
            requestedExpiry?.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            plan is null ? "" : $"{plan.Instalments}/{plan.Frequency}/{plan.FirstPaymentDate:yyyy-MM-dd}",
            reminders is null ? "" : $"{reminders.EveryDays}/{reminders.Max}",
        };
        var joined = string.Join('\u001f', parts.Select(p => p.Replace("\u001f", "")));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)));
    }
}
