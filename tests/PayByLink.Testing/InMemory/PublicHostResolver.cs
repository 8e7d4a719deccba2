using System.Net;
using PayByLink.Core.Webhooks;

namespace PayByLink.Testing.InMemory;

/// <summary>Names resolve to a public documentation address.</summary>
public sealed class PublicHostResolver : IHostResolver
{
    public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IPAddress>>([IPAddress.Parse("203.0.113.10")]);
}
