using PayByLink.Core.Events;

namespace PayByLink.Core.Audit;

/// <summary>
/// Something a person or key did to a merchant's account, apart from the requests and batches (whose events say who
/// made each change): a sign-in, a key or user change, a webhook change, an export, a setting. The subject names what
/// it was done to (a key id, a user's email, an endpoint id); never a customer's personal data.
/// </summary>
public sealed record AuditEntry(string MerchantId, DateTimeOffset At, Actor Actor, string Action, string Subject, string? Detail = null);
