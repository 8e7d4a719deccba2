using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using PayByLink.Core.Domain;
using PayByLink.Core.Limits;

namespace PayByLink.Http;

/// <summary>
/// Every error the API answers with, as RFC 9457 problem details. <c>type</c> and the <c>code</c> extension
/// are stable; titles and details are for people.
/// </summary>
public static class Problems
{
    public const string TypePrefix = "urn:paybylink:problem:";

    public static ValidationProblem Validation(IReadOnlyList<FieldError> errors) =>
        TypedResults.ValidationProblem(
            new FieldErrorsDictionary(errors),
            title: "The request is not valid.",
            detail: "See errors for what to change.",
            type: TypePrefix + "validation-failed",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = "validation-failed",
                ["fieldErrors"] = errors.Select(e => new { field = e.Field, code = e.Code, message = e.Message }).ToArray(),
            });

    public static ValidationProblem Validation(string field, string code, string message) => Validation([new FieldError(field, code, message)]);

    public static IResult Unauthorized() =>
        Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Missing or invalid subscription key.",
            "Send a valid key in the Ocp-Apim-Subscription-Key header.");

    public static IResult Unauthorized(string title, string detail) =>
        Problem(StatusCodes.Status401Unauthorized, "unauthorized", title, detail);

    public static NotFoundProblem NotFound(string what) =>
        new(Problem(StatusCodes.Status404NotFound, "not-found", $"{what} not found.", null));

    /// <summary>409; with <paramref name="retryAfterSeconds"/>, a Retry-After header: repeating the request then will work.</summary>
    public static ConflictProblem Conflict(string code, string title, string detail, Dictionary<string, object?>? extensions = null,
        int? retryAfterSeconds = null) =>
        new(Problem(StatusCodes.Status409Conflict, code, title, detail, extensions), retryAfterSeconds);

    public static IResult BadRequest(string code, string title, string detail) =>
        Problem(StatusCodes.Status400BadRequest, code, title, detail);

    public static IResult UnsupportedMediaType() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The body must be JSON.",
            "Send Content-Type: application/json.");

    public static IResult PayloadTooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "The body is too large.",
            $"The body must be at most {limit} bytes.");

    /// <summary>
    /// 503 while storage cannot be reached, saying only what is known: a read changed nothing; a write may have been made
    /// in part or whole before storage stopped answering, so its answer says how to learn the outcome.
    /// </summary>
    public static IResult StorageUnavailable(HttpRequest request) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "Storage is not available.", request switch
        {
            { Method: "GET" or "HEAD" } =>
                $"The service cannot reach its storage just now, and nothing was changed. Try again in {RetryAfterSeconds} seconds.",
            { Method: "POST" } when request.Path.Value?.TrimEnd('/') == "/" + ApiRoutes.PaymentRequests =>
                "Storage stopped answering part way, so whether the request was created is not known. Repeat the same request " +
                $"(same clientTransactionRef and content) after {RetryAfterSeconds} seconds: it answers 200 with the request if it " +
                "was created, 201 if it is created then, or 409 create-in-progress with Retry-After while the first create is " +
                "still finishing. It is never created twice, and one left part way is finished within a minute.",
            _ => "Storage stopped answering part way, so whether this change was made is not known. Read what it changes to see " +
                 $"where things stand (after {RetryAfterSeconds} seconds), then repeat it if it was not made.",
        });

    /// <summary>429 <c>rate-limited</c>: the key's requests came faster than its merchant's rate; Retry-After says when one more may.</summary>
    public static IResult RateLimited(TimeSpan retryAfter, MerchantLimits limits) =>
        RetryAfter(Problem(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests for this key.",
            $"This key may make {limits.RequestsPerSecond} requests a second, up to {limits.Burst} at once. Wait for Retry-After, then repeat."),
            Seconds(retryAfter));

    /// <summary>429 <c>daily-cap-reached</c>: a new request would pass a daily message cap; Retry-After is the merchant's next midnight.</summary>
    public static TooManyRequestsProblem DailyCapReached(CapReached cap, TimeSpan untilTomorrow) =>
        new(Problem(StatusCodes.Status429TooManyRequests, "daily-cap-reached", "The daily message cap is reached.", cap.Message,
            new() { ["channel"] = cap.Channel.Name(), ["cap"] = cap.Cap, ["countedToday"] = cap.SentToday, ["wanted"] = cap.Wanted }),
            Seconds(untilTomorrow));

    /// <summary>Whole seconds, at least one: what a Retry-After header says.</summary>
    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    /// <summary>500 for a fault of ours: the trace id finds it in the logs; nothing of the request is echoed.</summary>
    public static IResult InternalError() =>
        Problem(StatusCodes.Status500InternalServerError, "internal-error", "Something went wrong on our side.",
            "The fault has been logged with this traceId. Try again; if it persists, quote the traceId to support.");

    /// <summary>The problem with a Retry-After header: when the caller may repeat the request.</summary>
    public static IResult RetryAfter(IResult problem, int seconds) => new WithRetryAfter(problem, seconds);

    private sealed class WithRetryAfter(IResult problem, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return problem.ExecuteAsync(httpContext);
        }
    }

    /// <summary>What a 503 tells the caller to wait before trying again.</summary>
    public const int RetryAfterSeconds = 10;

    // The code and detail of a problem the framework answers by itself (an unknown route, a method not allowed,
    // the wrong content type), so that every error carries the same members.
    private static readonly Dictionary<int, (string Code, string Detail)> ByStatus = new()
    {
        [400] = ("bad-request", "The request could not be read."),
        [401] = ("unauthorized", "Send a valid key in the Ocp-Apim-Subscription-Key header."),
        [404] = ("not-found", "Nothing is found at this address."),
        [405] = ("method-not-allowed", "This address does not accept that HTTP method."),
        [406] = ("not-acceptable", "This address cannot answer in the media type asked for."),
        [409] = ("conflict", "The request conflicts with the resource's state."),
        [413] = ("payload-too-large", $"The body must be at most {JsonBody.MaxBytes} bytes."),
        [415] = ("unsupported-media-type", "Send the body as JSON, with Content-Type: application/json."),
        [429] = ("too-many-requests", "Too many requests: wait and try again."),
        [500] = ("internal-error", "The fault has been logged with this traceId."),
        [503] = ("service-unavailable", "The service is not available just now: try again shortly."),
    };

    /// <summary>
    /// Completes every problem written through the framework's problem-details service (both hosts register it):
    /// a <c>code</c>, a <c>type</c> built from it, a <c>detail</c> and the <c>traceId</c>.
    /// </summary>
    public static void Complete(Microsoft.AspNetCore.Http.ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Status = status;
        var fallback = ByStatus.TryGetValue(status, out var known) ? known : (Code: "error", Detail: "The request failed.");
        if (problem.Extensions.TryGetValue("code", out var code) is false || code is not string)
        {
            problem.Extensions["code"] = code = fallback.Code;
        }

        problem.Type = TypePrefix + code;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status);
        problem.Detail ??= fallback.Detail;
        problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
    }

    private static IResult Problem(int status, string code, string title, string? detail, Dictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? []) { ["code"] = code };
        return TypedResults.Problem(detail, statusCode: status, title: title, type: TypePrefix + code, extensions: all);
    }

    /// <summary>Field → messages, as the <c>errors</c> member of a validation problem.</summary>
    private sealed class FieldErrorsDictionary(IReadOnlyList<FieldError> errors)
        : Dictionary<string, string[]>(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
}
