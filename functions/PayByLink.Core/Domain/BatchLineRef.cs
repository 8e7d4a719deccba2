namespace PayByLink.Core.Domain;

/// <summary>The batch line a payment request came from.</summary>
public sealed record BatchLineRef(string BatchId, int Record, int Line);
