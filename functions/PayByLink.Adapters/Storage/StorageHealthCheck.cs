using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Storage is healthy when a one-row query of the merchants table answers (with the app's own data access) within
/// <see cref="Deadline"/>: a paused or unreachable account is reported at once, not after the SDK's retries. A
/// failure or a query past its deadline is reported unhealthy by the health check service.
/// </summary>
public sealed class StorageHealthCheck(StorageClients storage) : IHealthCheck
{
    public const string Name = "storage";

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    /// <summary>The app's health checks: storage, within its deadline.</summary>
    public static void AddTo(IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<StorageHealthCheck>(Name, HealthStatus.Unhealthy, [], Deadline);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        await using var rows = storage.Table(StorageNames.MerchantsTable)
            .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"health"}"), 1, ["PartitionKey"], cancellationToken)
            .AsPages().GetAsyncEnumerator(cancellationToken);
        await rows.MoveNextAsync();
        return HealthCheckResult.Healthy();
    }
}
