using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PayByLink.Http;

namespace PayByLink.Api;

public sealed class HealthFunctions(HealthCheckService health)
{
    [Function("Health")]
    public async Task<IResult> Check(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await HealthApi.Check(health, cancellationToken);
}
