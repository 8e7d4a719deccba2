using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using PayByLink.Core.Ports;
using PayByLink.Http;

namespace PayByLink.Api;

/// <summary>
/// An HTTP function runs within one deadline for all its storage calls (<see cref="CallDeadline"/>), and one that throws
/// is answered as the local runtime answers it (<see cref="HttpFailures"/>): 503 with Retry-After while storage is
/// unavailable, 500 otherwise, never the host's bare error.
/// </summary>
public sealed class HttpFailureMiddleware(HttpFailures failures, TimeProvider clock) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            using var deadline = context.GetHttpContext() is null ? null : CallDeadline.Start(clock, CallDeadline.ForApiCall);
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { } http)
        {
            await failures.TryHandleAsync(http, e, context.CancellationToken);
        }
    }
}
