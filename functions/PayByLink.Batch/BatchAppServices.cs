using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters;
using PayByLink.Http;

namespace PayByLink.Batch;

public static class BatchAppServices
{
    /// <summary>What the Batch app registers: what every app needs, what the Batch app runs, and how events are written for webhooks.</summary>
    public static IServiceCollection AddBatchApp(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPayByLinkShared(configuration).AddPayByLinkBatch(configuration).AddPayByLinkEventBodies();
}
