namespace PayByLink.Core.Ports;

/// <summary>Whether the app can reach what it depends on: what the health endpoint reports.</summary>
public interface IHealthProbe
{
    /// <summary>Each dependency by name, and whether it answered.</summary>
    Task<IReadOnlyDictionary<string, bool>> CheckAsync(CancellationToken cancellationToken);
}
