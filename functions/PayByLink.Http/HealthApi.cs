using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PayByLink.Http;

public sealed record HealthView(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary>GET /api/health: 200 when every dependency answers, 503 otherwise. No key needed, no data shown.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/").MapGet(ApiRoutes.Health, Check).WithName("Health").WithTags("Health")
            .WithSummary("Health").WithDescription("200 when storage answers within its deadline, 503 otherwise. No key needed; no data shown.");
        return app;
    }

    public static async Task<Results<Ok<HealthView>, Unhealthy>> Check(HealthCheckService health, CancellationToken cancellationToken)
    {
        // Only each check's name and status: an exception's text could name an account or an address.
        var report = await health.CheckHealthAsync(cancellationToken);
        var healthy = report.Status == HealthStatus.Healthy;
        var view = new HealthView(healthy ? "Healthy" : "Unhealthy", report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()));
        return healthy ? TypedResults.Ok(view) : new Unhealthy(view);
    }

    /// <summary>503 with the same view: which dependency did not answer.</summary>
    public sealed class Unhealthy(HealthView view) : IResult, IEndpointMetadataProvider
    {
        public Task ExecuteAsync(HttpContext httpContext) =>
            TypedResults.Json(view, statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(httpContext);

        public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
            builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(HealthView), ["application/json"]));
    }
}
