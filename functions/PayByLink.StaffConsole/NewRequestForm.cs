using System.Globalization;
using Microsoft.AspNetCore.Http;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;

namespace PayByLink.StaffConsole;

/// <summary>
/// The send-a-link form's fields, named as the API's body names them (<c>customer.mobileNumber</c>), so the API's
/// rules check it and their errors land beside the field they are about. Only what a form adds is checked here: that a
/// number is a number and a date a date.
/// </summary>
public sealed class NewRequestForm
{
    public const string SmsChannel = "channels.sms", EmailChannel = "channels.email";

    public static readonly string[] Fields =
    [
        "clientTransactionRef", "amount", "accountReference", "customer.firstName", "customer.lastName", "customer.mobileNumber", "customer.email",
        SmsChannel, EmailChannel, "reason", "passphrase", "expiresAt", "repaymentPlan.instalments", "repaymentPlan.frequency",
        "repaymentPlan.firstPaymentDate", "reminders.everyDays", "reminders.max",
    ];

    /// <summary>The form field an API error about a whole part of the body is shown beside.</summary>
    public static string FieldOf(string apiField) => apiField switch
    {
        "customer" => "customer.mobileNumber",
        "currency" => "amount",
        "repaymentPlan" => "repaymentPlan.instalments",
        "reminders" => "reminders.everyDays",
        _ => apiField,
    };

    /// <summary>The errors beside the fields they are about, in the order the form asks for them.</summary>
    public static IReadOnlyList<FieldError> InFormOrder(IEnumerable<FieldError> errors) => errors
        .Select(e => e with { Field = FieldOf(e.Field) })
        .OrderBy(e => Array.IndexOf(Fields, e.Field) is var i and >= 0 ? i : Fields.Length)
        .ToList();

    private readonly Dictionary<string, string> _values;

    private NewRequestForm(Dictionary<string, string> values) => _values = values;

    public string Value(string field) => _values.GetValueOrDefault(field) ?? "";

    public bool IsChecked(string field) => _values.ContainsKey(field);

    /// <summary>
    /// A new form with the merchant's defaults: a fresh reference (so a second submit of the same form is the same
    /// request, never another), both channels, and the default expiry as a date.
    /// </summary>
    public static NewRequestForm Defaults(Merchant merchant, DateTimeOffset now) => new(new Dictionary<string, string>
    {
        ["clientTransactionRef"] = $"CON-{merchant.LocalDate(now):yyyyMMdd}-{Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}",
        [SmsChannel] = "on",
        [EmailChannel] = "on",
        ["expiresAt"] = merchant.LocalDate(now + PaymentRequestRules.DefaultExpiry).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    });

    public static NewRequestForm From(IFormCollection form) => new(Fields
        .Where(f => !string.IsNullOrWhiteSpace(form[f].ToString()))
        .ToDictionary(f => f, f => form[f].ToString().Trim()));

    /// <summary>The API's body for the form; a number or date that does not read is an error of the form's own.</summary>
    public PaymentRequestInput ToInput(Merchant merchant, FieldErrors errors)
    {
        var channels = new List<string>();
        if (IsChecked(SmsChannel))
        {
            channels.Add("sms");
        }

        if (IsChecked(EmailChannel))
        {
            channels.Add("email");
        }

        RepaymentPlanInput? plan = null;
        if (Text("repaymentPlan.instalments") is not null || Text("repaymentPlan.frequency") is not null)
        {
            plan = new RepaymentPlanInput
            {
                Instalments = Number("repaymentPlan.instalments", errors),
                Frequency = Text("repaymentPlan.frequency"),
                FirstPaymentDate = Date("repaymentPlan.firstPaymentDate", errors),
            };
        }

        RemindersInput? reminders = null;
        if (Text("reminders.everyDays") is not null || Text("reminders.max") is not null)
        {
            reminders = new RemindersInput { EveryDays = Number("reminders.everyDays", errors), Max = Number("reminders.max", errors) };
        }

        decimal? amount = null;
        if (Text("amount") is { } amountText)
        {
            if (decimal.TryParse(amountText.TrimStart('£', '€', '$'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands,
                    CultureInfo.InvariantCulture, out var parsed))
            {
                amount = parsed;
            }
            else
            {
                errors.Add("amount", "invalid_amount", "Enter the amount as a number, such as 120.50.");
            }
        }

        return new PaymentRequestInput
        {
            ClientTransactionRef = Text("clientTransactionRef"),
            Amount = amount,
            AccountReference = Text("accountReference"),
            Reason = Text("reason"),
            Passphrase = Text("passphrase"),
            Customer = new CustomerInput
            {
                FirstName = Text("customer.firstName"),
                LastName = Text("customer.lastName"),
                MobileNumber = Text("customer.mobileNumber"),
                Email = Text("customer.email"),
            },
            Channels = channels,
            // The last minute of the chosen day, in the merchant's zone.
            ExpiresAt = Date("expiresAt", errors) is { } day ? merchant.AtLocal(day, new TimeOnly(23, 59)) : null,
            RepaymentPlan = plan,
            Reminders = reminders,
        };
    }

    private string? Text(string field) => _values.TryGetValue(field, out var value) && value.Length > 0 ? value : null;

    private int? Number(string field, FieldErrors errors)
    {
        if (Text(field) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        errors.Add(field, "invalid_number", "Enter a whole number, such as 3.");
        return null;
    }

    private DateOnly? Date(string field, FieldErrors errors)
    {
        if (Text(field) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(field, "invalid_date", "Enter a date as year-month-day, such as 2026-12-31.");
        return null;
    }
}
