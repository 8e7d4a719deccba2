using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Ports;

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

    public static async Task<IResult> Check(IHealthProbe probe, CancellationToken cancellationToken)
    {
        var checks = await probe.CheckAsync(cancellationToken);
        var healthy = checks.Values.All(ok => ok);
        var view = new HealthView(healthy ? "Healthy" : "Unhealthy", checks.ToDictionary(c => c.Key, c => c.Value ? "Healthy" : "Unhealthy"));
        return TypedResults.Json(view, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
