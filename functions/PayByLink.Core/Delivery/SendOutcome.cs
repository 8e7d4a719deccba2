namespace PayByLink.Core.Delivery;

/// <summary>What a provider said about one send.</summary>
public sealed record SendOutcome(SendOutcomeKind Kind, string? ProviderMessageId, string? ErrorCode, string? Reason)
{
    /// <summary>When a throttled send may go again.</summary>
    public TimeSpan RetryAfter { get; init; }

    public static SendOutcome Throttled(string code, TimeSpan retryAfter) =>
        new(SendOutcomeKind.Throttled, null, code, $"The provider asked for fewer messages a second; retried after {retryAfter.TotalSeconds:0.#} s.") { RetryAfter = retryAfter };

    public static SendOutcome Sent(string providerMessageId) => new(SendOutcomeKind.Sent, providerMessageId, null, null);

    public static SendOutcome Transient(string code, string reason) => new(SendOutcomeKind.Transient, null, code, reason);

    public static SendOutcome Permanent(string code, string reason) => new(SendOutcomeKind.Permanent, null, code, reason);
}
