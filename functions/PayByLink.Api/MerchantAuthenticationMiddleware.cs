using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using PayByLink.Http;

namespace PayByLink.Api;

/// <summary>
/// The merchant API's key, checked before the function runs (<see cref="MerchantAuthentication"/>): a request to a
/// route that needs one is answered 401 without it, and otherwise carries its merchant to the handler.
/// </summary>
public sealed class MerchantAuthenticationMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http && await MerchantAuthentication.AuthenticateAsync(http) is { } refused)
        {
            await refused.ExecuteAsync(http);
            return;
        }

        await next(context);
    }
}
