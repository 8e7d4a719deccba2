using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using PayByLink.Http;

namespace PayByLink.Api;

/// <summary>HSTS and nosniff on every HTTP answer of the Api app (<see cref="TransportSecurity"/>).</summary>
public sealed class TransportSecurityMiddleware : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http)
        {
            TransportSecurity.OnEveryAnswer(http.Response);
        }

        return next(context);
    }
}
