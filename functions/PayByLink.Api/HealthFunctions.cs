using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PayByLink.Core.Ports;
using PayByLink.Http;

namespace PayByLink.Api;

public sealed class HealthFunctions(IHealthProbe probe)
{
    [Function("Health")]
    public Task<IResult> Check(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request,
        CancellationToken cancellationToken) =>
        HealthApi.Check(probe, cancellationToken);
}
