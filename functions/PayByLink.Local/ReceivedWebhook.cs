namespace PayByLink.Local;

/// <summary>One post the built-in receiver got, with what its signature check found.</summary>
public sealed record ReceivedWebhook(DateTimeOffset ReceivedAt, string? EventId, string? Type, string? Signature, string Verdict, string Body);
