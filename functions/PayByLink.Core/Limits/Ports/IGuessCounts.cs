namespace PayByLink.Core.Limits.Ports;

/// <summary>How many links that do not exist each client has opened in a window, shared by every instance.</summary>
public interface IGuessCounts
{
    Task<long> CountAsync(string client, long window, CancellationToken cancellationToken);

    Task AddAsync(string client, long window, CancellationToken cancellationToken);
}
