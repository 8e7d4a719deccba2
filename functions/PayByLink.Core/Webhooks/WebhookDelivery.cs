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
    DateTimeOffset? NextAttemptAt);
