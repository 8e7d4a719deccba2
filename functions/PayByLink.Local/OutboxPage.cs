namespace PayByLink.Local;

/// <summary>One page of the outbox, newest first, with the token of the next (null on the last).</summary>
public sealed record OutboxPage(IReadOnlyList<OutboxMessage> Items, string? ContinuationToken);
