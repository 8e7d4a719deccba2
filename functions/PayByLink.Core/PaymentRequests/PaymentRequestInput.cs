namespace PayByLink.Core.PaymentRequests;

/// <summary>A create call or a batch line as received, before validation. Every field may be missing.</summary>
public sealed record PaymentRequestInput
{
    public string? ClientTransactionRef { get; init; }
    public decimal? Amount { get; init; }
    public string? Currency { get; init; }
    public string? AccountReference { get; init; }
    public string? Reason { get; init; }
    public string? Passphrase { get; init; }
    public CustomerInput? Customer { get; init; }
    public IReadOnlyList<string>? Channels { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public RepaymentPlanInput? RepaymentPlan { get; init; }
    public RemindersInput? Reminders { get; init; }
}

public sealed record CustomerInput
{
    public string? Title { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? MobileNumber { get; init; }
    public string? Email { get; init; }
}

public sealed record RepaymentPlanInput
{
    public int? Instalments { get; init; }
    public string? Frequency { get; init; }
    public DateOnly? FirstPaymentDate { get; init; }
}

public sealed record RemindersInput
{
    public int? EveryDays { get; init; }
    public int? Max { get; init; }
}
