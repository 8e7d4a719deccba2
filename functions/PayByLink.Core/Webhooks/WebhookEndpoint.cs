using PayByLink.Core.Domain;

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

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its next attempt (the first, or a retry).</summary>
    Pending,

    /// <summary>A worker is posting it now; others leave it until the lease ends.</summary>
    Delivering,

    /// <summary>The endpoint answered 2xx.</summary>
    Delivered,

    /// <summary>Retried for the whole retry period without a 2xx, or the endpoint was disabled or deleted.</summary>
    GaveUp,
}

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

/// <summary>Work for a delivery worker: bring one endpoint up to date with one request's or batch's events.</summary>
public sealed record WebhookWork(string MerchantId, string EndpointId, string SubjectId);

public interface IWebhookStore
{
    Task AddEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken);

    Task<IReadOnlyList<Versioned<WebhookEndpoint>>> ListEndpointsAsync(string merchantId, CancellationToken cancellationToken);

    Task<Versioned<WebhookEndpoint>?> FindEndpointAsync(string merchantId, string endpointId, CancellationToken cancellationToken);

    /// <summary>Replaces the endpoint if it is still at <paramref name="current"/>'s version; false when it moved on or is gone.</summary>
    Task<bool> TryReplaceEndpointAsync(Versioned<WebhookEndpoint> current, WebhookEndpoint replacement, CancellationToken cancellationToken);

    /// <summary>Deletes the endpoint; false when there was none.</summary>
    Task<bool> DeleteEndpointAsync(string merchantId, string endpointId, CancellationToken cancellationToken);

    Task<Versioned<WebhookDelivery>?> FindDeliveryAsync(string merchantId, string endpointId, string eventId, DateTimeOffset eventCreatedAt,
        CancellationToken cancellationToken);

    /// <summary>Writes the delivery if the stored one is still at <paramref name="version"/> (null: none stored yet); its new version, or null.</summary>
    Task<string?> TrySaveDeliveryAsync(WebhookDelivery delivery, string? version, CancellationToken cancellationToken);

    /// <summary>An endpoint's deliveries, newest event first, a page at a time.</summary>
    Task<(IReadOnlyList<WebhookDelivery> Items, string? ContinuationToken)> ListDeliveriesAsync(string merchantId, string endpointId, int pageSize,
        string? continuationToken, CancellationToken cancellationToken);
}

/// <summary>The queue of delivery work, in Azure a Storage queue the Batch app's trigger reads; locally the runtime's worker.</summary>
public interface IWebhookQueue
{
    Task EnqueueAsync(WebhookWork work, TimeSpan delay, CancellationToken cancellationToken);
}

/// <summary>What an endpoint answered: its status code, or why there was none (refused, timed out, not allowed).</summary>
public sealed record WebhookResponse(int? StatusCode, string? Error)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

/// <summary>Posts a signed event to an endpoint, within <see cref="DeliverWebhooks.Timeout"/>, never following redirects.</summary>
public interface IWebhookClient
{
    Task<WebhookResponse> PostAsync(Uri url, byte[] body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken);
}

/// <summary>An event as its webhook body: the same JSON the timeline shows.</summary>
public interface IEventBodies
{
    byte[] Render(Events.DomainEvent change);
}

/// <summary>Resolves a host name to the addresses a delivery would connect to.</summary>
public interface IHostResolver
{
    Task<IReadOnlyList<System.Net.IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken);
}
