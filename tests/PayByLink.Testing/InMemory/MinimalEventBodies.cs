using System.Text.Json;
using PayByLink.Core.Events;
using PayByLink.Core.Webhooks;

namespace PayByLink.Testing.InMemory;

/// <summary>An event's body: its id and type, which is all a test reads.</summary>
public sealed class MinimalEventBodies : IEventBodies
{
    public byte[] Render(DomainEvent change) => JsonSerializer.SerializeToUtf8Bytes(new { id = change.EventId, type = change.Type });
}
