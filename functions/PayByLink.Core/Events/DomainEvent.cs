namespace PayByLink.Core.Events;

/// <summary>
/// One change of a payment request or a batch, stored with the change itself (in the same transaction), numbered
/// 1, 2, 3… per request or batch. Its id is made of the two, so it is the same however often it is read or sent.
/// </summary>
public sealed record DomainEvent(string MerchantId, string SubjectId, int Sequence, string Type, DateTimeOffset CreatedAt, EventData Data)
{
    public string EventId => EventIds.For(SubjectId, Sequence);

    /// <summary>Who made the change; null on events recorded before events named their actor.</summary>
    public Actor? Actor { get; init; }
}
