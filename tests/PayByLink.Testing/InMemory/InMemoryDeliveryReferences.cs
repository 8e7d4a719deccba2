using PayByLink.Core.Delivery;

namespace PayByLink.Testing.InMemory;

/// <summary>Email operation ids and their sends, in memory.</summary>
public sealed class InMemoryDeliveryReferences : IDeliveryReferences
{
    private readonly VersionedRows<string, SendReference> _references = new();

    public Task SaveAsync(string reference, SendReference send, CancellationToken cancellationToken)
    {
        _references.Upsert(reference, send);
        return Task.CompletedTask;
    }

    public Task<SendReference?> FindAsync(string reference, CancellationToken cancellationToken) => Task.FromResult(_references.Find(reference)?.Value);
}
