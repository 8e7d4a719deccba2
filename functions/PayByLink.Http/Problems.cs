using Microsoft.AspNetCore.Http;
using PayByLink.Core.Domain;

namespace PayByLink.Http;

/// <summary>
/// Every error the API answers with, as RFC 9457 problem details. <c>type</c> and the <c>code</c> extension
/// are stable; titles and details are for people.
/// </summary>
public static class Problems
{
    public const string TypePrefix = "urn:paybylink:problem:";

    public static IResult Validation(IReadOnlyList<FieldError> errors) =>
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

    public static IResult Validation(string field, string code, string message) => Validation([new FieldError(field, code, message)]);

    public static IResult Unauthorized() =>
        Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Missing or invalid subscription key.",
            "Send a valid key in the Ocp-Apim-Subscription-Key header.");

    public static IResult NotFound(string what) =>
        Problem(StatusCodes.Status404NotFound, "not-found", $"{what} not found.", null);

    public static IResult Conflict(string code, string title, string detail, Dictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status409Conflict, code, title, detail, extensions);

    public static IResult BadRequest(string code, string title, string detail) =>
        Problem(StatusCodes.Status400BadRequest, code, title, detail);

    public static IResult UnsupportedMediaType() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The body must be JSON.",
            "Send Content-Type: application/json.");

    public static IResult PayloadTooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "The body is too large.",
            $"The body must be at most {limit} bytes.");

    private static IResult Problem(int status, string code, string title, string? detail, Dictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? []) { ["code"] = code };
        return TypedResults.Problem(detail, statusCode: status, title: title, type: TypePrefix + code, extensions: all);
    }

    /// <summary>Field → messages, as the <c>errors</c> member of a validation problem.</summary>
    private sealed class FieldErrorsDictionary(IReadOnlyList<FieldError> errors)
        : Dictionary<string, string[]>(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
}
