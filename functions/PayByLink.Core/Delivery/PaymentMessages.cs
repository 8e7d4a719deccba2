using System.Net;
using PayByLink.Core.Domain;

namespace PayByLink.Core.Delivery;

public sealed record EmailContent(string Subject, string PlainText, string Html);

/// <summary>
/// The words customers receive. Every message names the merchant, the amount, the reason and/or passphrase
/// and the link; an SMS is kept to one segment where the content allows, by shortening the reason first.
/// </summary>
public static class PaymentMessages
{
    private const int MinReasonLength = 12;

    public static string Sms(string merchantName, PaymentRequest request, string shortUrl, string purpose, string? template = null)
    {
        var c = request.Content;
        var amount = Currency.Find(c.Currency).Format(AmountDue(request, purpose));
        if (template is not null)
        {
            return MessageTemplate.Fill(template, Values(merchantName, request, amount, shortUrl));
        }

        string Compose(string? reason) =>
            $"{merchantName}: {Lead(purpose)}{amount}" +
            (reason is null ? "" : $" for {reason}") +
            (c.Passphrase is null ? "" : $". Passphrase: {c.Passphrase}") +
            $". Pay securely: {shortUrl}";

        var text = Compose(c.Reason);
        if (c.Reason is null || SmsEncoding.Measure(text).Segments <= 1)
        {
            return text;
        }

        // Shorten the reason, never the merchant, amount, passphrase or link, while that saves a segment.
        for (var length = c.Reason.Length - 1; length >= MinReasonLength; length--)
        {
            var shorter = Compose(c.Reason[..length].TrimEnd() + "...");
            if (SmsEncoding.Measure(shorter).Segments <= 1)
            {
                return shorter;
            }
        }

        return text;
    }

    public static EmailContent Email(string merchantName, PaymentRequest request, string longUrl, string purpose, string? intro = null)
    {
        var c = request.Content;
        var amount = Currency.Find(c.Currency).Format(AmountDue(request, purpose));
        var subject = $"{merchantName}: {Lead(purpose)}{amount}";
        var greeting = $"Dear {(c.Customer.Title is null ? "" : c.Customer.Title + " ")}{c.Customer.FirstName} {c.Customer.LastName},";
        // A plan's message is about the instalment it asks for: its number, its date, and the plan's total beside it.
        var currency = Currency.Find(c.Currency);
        var instalment = c.RepaymentPlan is { } plan ? plan.Schedule(c.Amount, currency)[(InstalmentNumber(purpose) ?? 1) - 1] : null;
        var lines = new List<(string Label, string Value)>
        {
            instalment is null ? ("Amount", amount) : ("Instalment", $"{instalment.Number} of {c.RepaymentPlan!.Instalments}: {amount}"),
            ("Account reference", c.AccountReference),
        };
        if (c.Reason is not null)
        {
            lines.Add(("For", c.Reason));
        }

        if (c.Passphrase is not null)
        {
            lines.Add(("Passphrase", c.Passphrase));
        }

        if (instalment is not null)
        {
            lines.Add(("Plan total", currency.Format(c.Amount)));
        }

        lines.Add(("Pay by", instalment is not null
            ? instalment.DueDate.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)
            : c.ExpiresAt.UtcDateTime.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)));

        var opening = intro is null ? $"{merchantName} has asked you to pay {amount}." : MessageTemplate.Fill(intro, Values(merchantName, request, amount, longUrl));
        var plain = $"""
            {greeting}

            {opening}

            {string.Join("\n", lines.Select(l => $"{l.Label}: {l.Value}"))}

            Pay securely here: {longUrl}

            {(c.Passphrase is null ? "" : $"Check the passphrase \"{c.Passphrase}\" matches the one {merchantName} gave you before you pay.")}
            """;

        string E(string value) => WebUtility.HtmlEncode(value);
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{E(subject)}</title></head>
            <body style="font-family:Arial,Helvetica,sans-serif;color:#1b1b1b;max-width:560px;margin:0 auto;padding:16px">
            <p>{E(greeting)}</p>
            {(intro is null ? $"<p><strong>{E(merchantName)}</strong> has asked you to pay <strong>{E(amount)}</strong>.</p>" : $"<p>{E(opening)}</p>")}
            <table role="presentation" style="border-collapse:collapse">
            {string.Join("\n", lines.Select(l => $"<tr><th scope=\"row\" style=\"text-align:left;padding:4px 12px 4px 0\">{E(l.Label)}</th><td style=\"padding:4px 0\">{E(l.Value)}</td></tr>"))}
            </table>
            <p><a href="{E(longUrl)}" style="display:inline-block;background:#0b5394;color:#ffffff;padding:12px 20px;text-decoration:none;border-radius:4px">Pay {E(amount)} securely</a></p>
            <p style="font-size:13px;color:#555">Or open this link: {E(longUrl)}</p>
            </body></html>
            """;
        return new EmailContent(subject, plain.TrimEnd() + "\n", html);
    }

    /// <summary>The values a merchant's wording may use (<see cref="MessageTemplate.Placeholders"/>).</summary>
    private static Dictionary<string, string?> Values(string merchantName, PaymentRequest request, string amount, string link) => new()
    {
        ["{name}"] = request.Content.Customer.FirstName,
        ["{amount}"] = amount,
        ["{link}"] = link,
        ["{merchant}"] = merchantName,
        ["{passphrase}"] = request.Content.Passphrase,
        ["{reason}"] = request.Content.Reason,
    };

    /// <summary>What this send asks for: an instalment's amount, or the whole amount.</summary>
    public static decimal AmountDue(PaymentRequest request, string purpose)
    {
        var c = request.Content;
        if (c.RepaymentPlan is { } plan && InstalmentNumber(purpose) is { } number)
        {
            return plan.Schedule(c.Amount, Currency.Find(c.Currency))[number - 1].Amount;
        }

        return c.RepaymentPlan is { } first ? first.Schedule(c.Amount, Currency.Find(c.Currency))[0].Amount : c.Amount;
    }

    private static int? InstalmentNumber(string purpose) =>
        purpose.StartsWith("instalment-", StringComparison.Ordinal) && int.TryParse(purpose["instalment-".Length..], out var n) ? n : null;

    private static string Lead(string purpose) =>
        purpose.StartsWith("reminder", StringComparison.Ordinal) ? "reminder, please pay "
        : InstalmentNumber(purpose) is { } n ? $"instalment {n} due, please pay "
        : "please pay ";
}
