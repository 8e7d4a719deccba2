using System.Net;
using PayByLink.Core.Webhooks;

namespace PayByLink.Adapters.Webhooks;

/// <summary>Resolves a host name with the system resolver.</summary>
public sealed class DnsHostResolver : IHostResolver
{
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
        await Dns.GetHostAddressesAsync(host, cancellationToken);
}
