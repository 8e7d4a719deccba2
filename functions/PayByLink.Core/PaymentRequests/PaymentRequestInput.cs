using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using static PayByLink.Core.PaymentRequests.PaymentRequestRules;

namespace PayByLink.Core.PaymentRequests;

// The attributes describe the body for the API's reference; PaymentRequestRules is what checks it.
public sealed record PaymentRequestInput
{
    [Required, MaxLength(MaxRefLength), Description("The merchant's own reference for this request: a repeat with the same content is answered with the same request.")]
    public string? ClientTransactionRef { get; init; }

    [Required, Description("In major units, greater than 0, with no more decimals than the currency has, at most the merchant's limit.")]
    public decimal? Amount { get; init; }

    [Description("ISO 4217 code; the merchant's own currency, which is also the default.")]
    public string? Currency { get; init; }

    [Required, MaxLength(MaxAccountReferenceLength), Description("The customer's account with the merchant.")]
    public string? AccountReference { get; init; }

    [MaxLength(MaxReasonLength), Description("What the payment is for. A reason or a passphrase is required.")]
    public string? Reason { get; init; }

    [MaxLength(MaxPassphraseLength), Description("Shown in the message and on the page so the customer can tell the request is genuine.")]
    public string? Passphrase { get; init; }

    [Required]
    public CustomerInput? Customer { get; init; }

    [Description("sms, email or both; every channel the customer can be reached on when absent.")]
    public IReadOnlyList<string>? Channels { get; init; }

    [Description("When the link stops working (ISO 8601); 14 days when absent, at most 90.")]
    public DateTimeOffset? ExpiresAt { get; init; }

    [Description("Split the amount into instalments, each with its own link.")]
    public RepaymentPlanInput? RepaymentPlan { get; init; }

    [Description("Send the link again until it is paid.")]
    public RemindersInput? Reminders { get; init; }
}

public sealed record CustomerInput
{
    [MaxLength(MaxTitleLength)]
    public string? Title { get; init; }

    [Required, MaxLength(MaxNameLength)]
    public string? FirstName { get; init; }

    [Required, MaxLength(MaxNameLength)]
    public string? LastName { get; init; }

    [Description("A mobile number in the merchant's region or E.164. A mobile number or an email is required.")]
    public string? MobileNumber { get; init; }

    public string? Email { get; init; }
}

public sealed record RepaymentPlanInput
{
    [Required, Range(MinInstalments, MaxInstalments)]
    public int? Instalments { get; init; }

    [Required, Description("weekly, fortnightly or monthly.")]
    public string? Frequency { get; init; }

    [Required, Description("Today or within 90 days.")]
    public DateOnly? FirstPaymentDate { get; init; }
}

public sealed record RemindersInput
{
    [Required, Range(1, MaxReminderEveryDays)]
    public int? EveryDays { get; init; }

    [Required, Range(1, MaxReminders)]
    public int? Max { get; init; }
}
