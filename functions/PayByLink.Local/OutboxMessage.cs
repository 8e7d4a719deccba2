namespace PayByLink.Local;

/// <summary>A message the outbox "sent": what a local user sees at /dev/outbox instead of a real SMS or email.</summary>
public sealed record OutboxMessage(
    string SendId,
    string Channel,
    string Recipient,
    string? Subject,
    string Body,
    string? Html,
    string RequestId,
    DateTimeOffset SentAt,
    string? Unsubscribe = null,
    string? Receipt = null,
    DateTimeOffset? ReceiptAt = null);
