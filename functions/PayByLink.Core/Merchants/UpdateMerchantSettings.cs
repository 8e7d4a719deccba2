using System.Globalization;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Merchants;

/// <summary>The settings as an admin types them: text fields, blank for "the standard".</summary>
public sealed record MerchantSettingsInput(string? DisplayName, string? TimeZone, string? QuietFrom, string? QuietUntil,
    string? RemindEveryDays, string? RemindMax, string? SmsTemplate, string? EmailIntro);

/// <summary>
/// Changes what a merchant's admin may set: the name customers see, the time zone, the quiet hours, the default
/// reminders and the message wording, each checked with its reason. Limits and currency are the platform's to set.
/// </summary>
public sealed class UpdateMerchantSettings(IMerchantStore merchants)
{
    public const int MaxDisplayNameLength = 60;

    public static MerchantSettingsInput InputOf(Merchant merchant)
    {
        var s = merchant.Settings;
        return new MerchantSettingsInput(merchant.DisplayName, merchant.TimeZone, Time(s.QuietFrom), Time(s.QuietUntil),
            s.DefaultReminders?.EveryDays.ToString(CultureInfo.InvariantCulture), s.DefaultReminders?.Max.ToString(CultureInfo.InvariantCulture),
            s.SmsTemplate, s.EmailIntro);
    }

    /// <summary>Saves the settings when they are all valid; the merchant as changed, or every reason it is not.</summary>
    public async Task<ValidationResult<Merchant>> ExecuteAsync(Merchant merchant, MerchantSettingsInput input, CancellationToken cancellationToken)
    {
        var changed = Apply(merchant, input);
        if (changed.Value is { } valid)
        {
            await merchants.UpdateAsync(valid, cancellationToken);
        }

        return changed;
    }

    /// <summary>The merchant with the settings, unsaved (for a preview), or every reason they cannot be.</summary>
    public static ValidationResult<Merchant> Apply(Merchant merchant, MerchantSettingsInput input)
    {
        var errors = new FieldErrors();
        var name = input.DisplayName?.Trim() ?? "";
        if (name.Length is 0 or > MaxDisplayNameLength || name.Any(char.IsControl))
        {
            errors.Add("displayName", "invalid", $"The name customers see is 1 to {MaxDisplayNameLength} characters.");
        }

        var zone = input.TimeZone?.Trim() ?? "";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors.Add("timeZone", "unknown_time_zone", "Give a time zone by its IANA name, such as Europe/London.");
        }

        var from = TimeOf("quietFrom", input.QuietFrom, errors);
        var until = TimeOf("quietUntil", input.QuietUntil, errors);
        if (from is not null && from == until)
        {
            errors.Add("quietUntil", "same_time", "The quiet hours must end at another time than they start.");
        }

        var reminders = RemindersOf(input.RemindEveryDays, input.RemindMax, errors);
        var sms = string.IsNullOrWhiteSpace(input.SmsTemplate) ? null : input.SmsTemplate.Trim();
        var intro = string.IsNullOrWhiteSpace(input.EmailIntro) ? null : input.EmailIntro.Trim();
        errors.AddRange(sms is null ? [] : MessageTemplate.Check("smsTemplate", sms, needsLink: true, MessageTemplate.MaxSmsLength));
        errors.AddRange(intro is null ? [] : MessageTemplate.Check("emailIntro", intro, needsLink: false, MessageTemplate.MaxEmailIntroLength));
        if (errors.Any)
        {
            return ValidationResult<Merchant>.Invalid(errors.All);
        }

        return ValidationResult<Merchant>.Valid(merchant with
        {
            DisplayName = name, TimeZone = zone, OwnSettings = new MerchantSettings(sms, intro, from!.Value, until!.Value, reminders),
        });
    }

    public static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static TimeOnly? TimeOf(string field, string? text, FieldErrors errors)
    {
        if (TimeOnly.TryParseExact(text?.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add(field, "invalid_time", "Give a time as HH:mm, such as 21:00.");
        return null;
    }

    private static Reminders? RemindersOf(string? everyText, string? maxText, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(everyText) && string.IsNullOrWhiteSpace(maxText))
        {
            return null;
        }

        var ok = true;
        if (!int.TryParse(everyText, NumberStyles.None, CultureInfo.InvariantCulture, out var every) || every < 1 || every > PaymentRequestRules.MaxReminderEveryDays)
        {
            errors.Add("remindEveryDays", "out_of_range", $"Remind every 1 to {PaymentRequestRules.MaxReminderEveryDays} days, or leave both blank for no reminders.");
            ok = false;
        }

        if (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max < 1 || max > PaymentRequestRules.MaxReminders)
        {
            errors.Add("remindMax", "out_of_range", $"Send 1 to {PaymentRequestRules.MaxReminders} reminders, or leave both blank for none.");
            ok = false;
        }

        return ok ? new Reminders(every, max) : null;
    }
}
