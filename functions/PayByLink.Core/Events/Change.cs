using PayByLink.Core.Domain;

namespace PayByLink.Core.Events;

/// <summary>What happened to a request or batch: the events just stored, and the request as it now stands.</summary>
/// <remarks>
/// Published after the change is stored, and again (with no new events) by any repeat that finds the change made,
/// so a consumer that a crash kept from hearing of a change hears of it from the repeat. Consumers are idempotent.
/// </remarks>
public sealed record Change(string MerchantId, string SubjectId, IReadOnlyList<DomainEvent> Events, PaymentRequest? Request = null);
