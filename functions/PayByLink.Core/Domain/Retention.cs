namespace PayByLink.Core.Domain;

/// <summary>
/// How long a merchant's customers' personal data is kept: a request's for <see cref="RequestDays"/> after it ended
/// (its last change, in a final status), a batch's lines as uploaded (and so its failed records) for
/// <see cref="BatchDays"/> after its upload window. Then the timer erases it, keeping the anonymous record.
/// </summary>
public sealed record Retention(int RequestDays, int BatchDays)
{
    public static readonly Retention Default = new(90, 30);

    public const int MaxDays = 3650;

    public TimeSpan Requests => TimeSpan.FromDays(RequestDays);

    public TimeSpan Batches => TimeSpan.FromDays(BatchDays);

    /// <summary>Why these settings cannot be used, or null.</summary>
    public string? Problem() =>
        RequestDays is < 1 or > MaxDays ? $"Requests are kept 1 to {MaxDays} days after they end, not {RequestDays}."
        : BatchDays is < 1 or > MaxDays ? $"Batch lines are kept 1 to {MaxDays} days, not {BatchDays}."
        : null;
}
