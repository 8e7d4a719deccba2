using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PayByLink.Core.Payments;
using PayByLink.Core.Ports;
using PayByLink.Http.Pages;

namespace PayByLink.Http;

/// <summary>
/// The answer to a request that threw, in either host (the local runtime's exception handler, the Api app's worker
/// middleware): 503 with <c>Retry-After</c> while storage is unavailable, 500 for anything else; problem details under
/// <c>/api</c>, a plain page for the customer. Nothing of the request is echoed or logged but its route.
/// </summary>
public sealed partial class HttpFailures(ILogger<HttpFailures> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (http.RequestAborted.IsCancellationRequested || http.Response.HasStarted)
        {
            return true; // the caller has gone, or the answer is under way: nothing more to say
        }

        // The exception handler clears the endpoint before it calls this; the feature keeps the one that threw.
        var endpoint = http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();
        var route = (endpoint as Microsoft.AspNetCore.Routing.RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
        var api = http.Request.Path.StartsWithSegments("/api");
        IResult answer;
        if (StorageUnavailableException.In(exception) is { } outage)
        {
            LogStorageUnavailable(logger, http.Request.Method, route, outage.Message);
            answer = api
                ? Problems.RetryAfter(Problems.StorageUnavailable(http.Request), Problems.RetryAfterSeconds)
                : Problems.RetryAfter(CustomerPages.Message("Please try again shortly", "We can't show this page just now",
                    "The service is busy for a moment. Nothing has been charged. Please open the link from your message again in a minute.",
                    StatusCodes.Status503ServiceUnavailable), Problems.RetryAfterSeconds);
        }
        else if (exception is PaymentProviderUnavailableException provider)
        {
            LogStorageUnavailable(logger, http.Request.Method, route, provider.Message);
            answer = Problems.RetryAfter(CustomerPages.Message("Please try again shortly", "We can't take your payment just now",
                "Our payment provider is not answering. Nothing has been charged. Please try again in a minute.",
                StatusCodes.Status503ServiceUnavailable), Problems.RetryAfterSeconds);
        }
        else
        {
            LogUnhandled(logger, exception, http.Request.Method, route);
            answer = api
                ? Problems.InternalError()
                : CustomerPages.Message("Something went wrong", "Something went wrong",
                    "This page could not be shown. Nothing has been charged. Please open the link from your message again later.",
                    StatusCodes.Status500InternalServerError, kind: "bad");
        }

        await answer.ExecuteAsync(http);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Route} answered 503: {Reason}")]
    private static partial void LogStorageUnavailable(ILogger logger, string method, string route, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Route} failed")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string route);
}
