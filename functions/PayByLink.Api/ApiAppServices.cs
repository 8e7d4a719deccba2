using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters;
using PayByLink.Http;

namespace PayByLink.Api;

public static class ApiAppServices
{
    /// <summary>What the Api app registers: what every app needs, what the Api app runs, and the HTTP surface.</summary>
    public static IServiceCollection AddApiApp(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPayByLinkShared(configuration).AddPayByLinkApi(configuration).AddPayByLinkHttp();
}
