namespace PayByLink.Core.Webhooks;

/// <summary>One post of an event to an endpoint: when, what the endpoint answered (or why there was no answer), how long it took.</summary>
public sealed record WebhookAttempt(DateTimeOffset At, int? StatusCode, string? Error, int DurationMs);
