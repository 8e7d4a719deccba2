using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
            .WithSummary("Health").WithDescription("200 when storage answers within its deadline, 503 otherwise. No key needed; no data shown.")
            .Produces<HealthView>().Produces<HealthView>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<IResult> Check(HealthCheckService health, CancellationToken cancellationToken)
    {
        // Only each check's name and status: an exception's text could name an account or an address.
        var report = await health.CheckHealthAsync(cancellationToken);
        var healthy = report.Status == HealthStatus.Healthy;
        var view = new HealthView(healthy ? "Healthy" : "Unhealthy", report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()));
        return TypedResults.Json(view, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
