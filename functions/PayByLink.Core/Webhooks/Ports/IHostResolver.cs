namespace PayByLink.Core.Webhooks;

/// <summary>Resolves a host name to the addresses a delivery would connect to.</summary>
public interface IHostResolver
{
    Task<IReadOnlyList<System.Net.IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken);
}
