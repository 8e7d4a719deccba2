using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using PayByLink.Http;

namespace PayByLink.Api;

/// <summary>
/// A function that throws is answered as the local runtime answers it (<see cref="HttpFailures"/>): 503 with
/// Retry-After while storage is unavailable, 500 otherwise, never the host's bare error.
/// </summary>
public sealed class HttpFailureMiddleware(HttpFailures failures) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { } http)
        {
            await failures.TryHandleAsync(http, e, context.CancellationToken);
        }
    }
}
