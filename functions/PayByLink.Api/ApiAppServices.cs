using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PayByLink.Adapters;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Limits.Ports;
using PayByLink.Http;

namespace PayByLink.Api;

public static class ApiAppServices
{
    /// <summary>
    /// What the Api app registers: what every app needs, what the Api app runs, and the HTTP surface; and its instances'
    /// heartbeats, by which each takes its share of every key's request rate.
    /// </summary>
    public static IServiceCollection AddApiApp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new TableLiveInstances(sp.GetRequiredService<StorageClients>(), "api",
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TableLiveInstances>>()));
        services.AddSingleton<ILiveInstances>(sp => sp.GetRequiredService<TableLiveInstances>());
        services.AddHostedService(sp => sp.GetRequiredService<TableLiveInstances>());
        return services.AddPayByLinkShared(configuration).AddPayByLinkApi(configuration).AddPayByLinkHttp();
    }
}
