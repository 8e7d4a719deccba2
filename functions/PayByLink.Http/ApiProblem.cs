using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace PayByLink.Http;

/// <summary>
/// A problem answer whose type says its status, so that a handler's <c>Results&lt;…&gt;</c> return type is what the
/// OpenAPI document lists: each subclass adds its own response to the endpoint's metadata.
/// </summary>
public abstract class ApiProblem(IResult problem, int? retryAfterSeconds = null) : IResult
{
    public const string ContentType = "application/problem+json";

    private readonly IResult _answer = retryAfterSeconds is { } seconds ? Problems.RetryAfter(problem, seconds) : problem;

    public Task ExecuteAsync(HttpContext httpContext) => _answer.ExecuteAsync(httpContext);

    protected static void Produces(EndpointBuilder builder, int status, Type type) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, type, [ContentType]));
}

/// <summary>404: the thing named is not the merchant's, or does not exist (the two answer alike).</summary>
public sealed class NotFoundProblem(IResult problem) : ApiProblem(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Produces(builder, StatusCodes.Status404NotFound, typeof(ProblemDetails));
}

/// <summary>409: the request conflicts with the resource's state; with Retry-After when repeating it later will work.</summary>
public sealed class ConflictProblem(IResult problem, int? retryAfterSeconds) : ApiProblem(problem, retryAfterSeconds), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Produces(builder, StatusCodes.Status409Conflict, typeof(ProblemDetails));
}

/// <summary>What reading a JSON body can answer: 415 not JSON, 413 too large, 400 unreadable or with unknown fields.</summary>
public sealed class BodyProblem(IResult problem) : ApiProblem(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        Produces(builder, StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails));
        Produces(builder, StatusCodes.Status413PayloadTooLarge, typeof(ProblemDetails));
        Produces(builder, StatusCodes.Status415UnsupportedMediaType, typeof(ProblemDetails));
    }
}

/// <summary>429: a daily cap would be passed; Retry-After says when it starts again.</summary>
public sealed class TooManyRequestsProblem(IResult problem, int retryAfterSeconds) : ApiProblem(problem, retryAfterSeconds), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Produces(builder, StatusCodes.Status429TooManyRequests, typeof(ProblemDetails));
}
