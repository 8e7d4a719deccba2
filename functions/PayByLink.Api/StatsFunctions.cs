using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PayByLink.Core.Reporting;
using PayByLink.Http;
using PayByLink.Http.Reporting;

namespace PayByLink.Api;

/// <summary>The merchant's figures, as an HTTP-triggered function handing its request to the shared handler.</summary>
public sealed class StatsFunctions(MerchantStats stats, TimeProvider clock)
{
    [Function("GetStats")]
    public async Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Stats)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await StatsApi.Get(request, stats, clock, cancellationToken);
}
