namespace PayByLink.Core.Domain;

public sealed record Customer(string? Title, string FirstName, string LastName, string? MobileNumber, string? Email)
{
    public string FullName => $"{FirstName} {LastName}";

    /// <summary>The keys the customer is found by name with: first, last and full name, each as <see cref="NameKey"/> writes it.</summary>
    public IEnumerable<string> NameKeys() => new[] { FirstName, LastName, FullName }.Select(NameKey).Distinct();

    /// <summary>Names compare case-insensitively with runs of spaces folded: "Jane  SMITH" matches "jane smith".</summary>
    public static string NameKey(string name) =>
        string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToLowerInvariant();
}

public enum PlanFrequency
{
    Weekly,
    Fortnightly,
    Monthly,
}

public sealed record Instalment(int Number, DateOnly DueDate, decimal Amount);

public sealed record RepaymentPlan(int Instalments, PlanFrequency Frequency, DateOnly FirstPaymentDate)
{
    /// <summary>The amount split into equal instalments in minor units; the last one takes the rounding remainder.</summary>
    public IReadOnlyList<Instalment> Schedule(decimal total, Currency currency)
    {
        var unit = 1m / (decimal)Math.Pow(10, currency.MinorDigits);
        var each = decimal.Floor(total / Instalments / unit) * unit;
        var schedule = new List<Instalment>(Instalments);
        for (var i = 0; i < Instalments; i++)
        {
            var amount = i == Instalments - 1 ? total - each * (Instalments - 1) : each;
            schedule.Add(new Instalment(i + 1, DueDate(i), amount));
        }

        return schedule;
    }

    public DateOnly LastPaymentDate => DueDate(Instalments - 1);

    private DateOnly DueDate(int index) => Frequency switch
    {
        PlanFrequency.Weekly => FirstPaymentDate.AddDays(7 * index),
        PlanFrequency.Fortnightly => FirstPaymentDate.AddDays(14 * index),
        PlanFrequency.Monthly => FirstPaymentDate.AddMonths(index),
        _ => throw new ArgumentOutOfRangeException(nameof(Frequency)),
    };
}

public sealed record Reminders(int EveryDays, int Max);

/// <summary>A request for payment as the merchant asked for it, validated and normalised.</summary>
public sealed record PaymentRequestContent(
    string ClientTransactionRef,
    decimal Amount,
    string Currency,
    string AccountReference,
    string? Reason,
    string? Passphrase,
    Customer Customer,
    IReadOnlyList<Channel> Channels,
    DateTimeOffset ExpiresAt,
    RepaymentPlan? RepaymentPlan,
    Reminders? Reminders,
    string Fingerprint);

/// <summary>A payment request of one merchant, with the links that open its payment page.</summary>
public sealed record PaymentRequest(
    string MerchantId,
    string RequestId,
    PaymentRequestContent Content,
    PaymentRequestStatus Status,
    string ShortCode,
    string PaymentToken,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    BatchLineRef? Batch = null)
{
    public string ClientTransactionRef => Content.ClientTransactionRef;

    /// <summary>How many events the request has: the sequence number of its latest.</summary>
    public int EventCount { get; init; }
}

/// <summary>The batch line a payment request came from.</summary>
public sealed record BatchLineRef(string BatchId, int Record, int Line);

/// <summary>A value read from a store together with the version (ETag) a conditional write must match.</summary>
public sealed record Versioned<T>(T Value, string Version);
