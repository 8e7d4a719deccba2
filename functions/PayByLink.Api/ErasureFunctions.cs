using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PayByLink.Core.Erasure;
using PayByLink.Http;
using PayByLink.Http.Erasures;

namespace PayByLink.Api;

/// <summary>A person's erasure, as an HTTP-triggered function handing its request to the shared handler.</summary>
public sealed class ErasureFunctions(ErasePerson erasure)
{
    [Function("ErasePersonalData")]
    public async Task<IResult> Erase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Erasures)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await ErasuresApi.Erase(request, erasure, cancellationToken);
}
