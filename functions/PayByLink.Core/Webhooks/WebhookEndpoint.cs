namespace PayByLink.Core.Webhooks;

/// <summary>
/// A merchant's URL that receives its events, signed with the endpoint's secret. For a day after a rotation the
/// previous secret signs too, so a receiver can change secrets without dropping an event.
/// </summary>
public sealed record WebhookEndpoint(
    string MerchantId,
    string EndpointId,
    string Url,
    IReadOnlyList<string> Events,
    string? Description,
    string Secret,
    DateTimeOffset CreatedAt)
{
    public const string AllEvents = "*";

    public string? PreviousSecret { get; init; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }

    /// <summary>When the endpoint began failing every attempt (null while its last attempt succeeded).</summary>
    public DateTimeOffset? FailingSince { get; init; }

    public DateTimeOffset? DisabledAt { get; init; }

    public string? DisabledReason { get; init; }

    public bool IsEnabled => DisabledAt is null;

    public bool Wants(string eventType) => Events.Contains(AllEvents) || Events.Contains(eventType);

    /// <summary>The secrets that sign at <paramref name="now"/>: the current one, and the previous one for a day after a rotation.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is { } previous && now < PreviousSecretExpiresAt ? [Secret, previous] : [Secret];
}
