using PayByLink.Core.Domain;

namespace PayByLink.Core.Merchants;

/// <summary>
/// What a merchant's admin sets for its customers' messages: the SMS wording and the email's opening line (templates
/// with <see cref="MessageTemplate.Placeholders"/>; the standard wording when null), the quiet hours no reminder or
/// instalment is sent in, and the reminders a request gets when it asks for none.
/// </summary>
public sealed record MerchantSettings(string? SmsTemplate, string? EmailIntro, TimeOnly QuietFrom, TimeOnly QuietUntil, Reminders? DefaultReminders)
{
    public static readonly MerchantSettings Default = new(null, null, new TimeOnly(21, 0), new TimeOnly(8, 0), null);
}
