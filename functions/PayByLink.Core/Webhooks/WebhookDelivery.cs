namespace PayByLink.Core.Webhooks;

/// <summary>One event's delivery to one endpoint: every attempt updates it.</summary>
public sealed record WebhookDelivery(
    string MerchantId,
    string EndpointId,
    string EventId,
    string EventType,
    DateTimeOffset EventCreatedAt,
    WebhookDeliveryStatus Status,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? FirstAttemptAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt)
{
    /// <summary>The attempts kept with a delivery: its last ones.</summary>
    public const int AttemptsKept = 20;

    /// <summary>Its attempts, oldest first (the last <see cref="AttemptsKept"/>).</summary>
    public IReadOnlyList<WebhookAttempt> History { get; init; } = [];

    /// <summary>The delivery with one more attempt in its history.</summary>
    public WebhookDelivery Attempted(WebhookAttempt attempt) => this with { History = [.. History.TakeLast(AttemptsKept - 1), attempt] };
}
