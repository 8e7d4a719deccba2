using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using PayByLink.Core.Domain;

namespace PayByLink.Http;

/// <summary>
/// The API's OpenAPI 3.1 document, from the routes themselves: the key as an <c>apiKey</c> scheme on every
/// <c>/api/v1</c> operation, one problem schema for every error answer, money as a decimal, and each field required
/// and nullable exactly as the API reads and writes it.
/// </summary>
public static class ApiDocument
{
    public const string SecuritySchemeName = "SubscriptionKey";

    /// <summary>
    /// The API reference page's one change to its look: the key field shows no placeholder (the page's own is a
    /// base64 joke, which a merchant could take for a key to use).
    /// </summary>
    public const string ReferencePageCss = "input[placeholder=\"QUxMIFlPVVIgQkFTRSBBUkUgQkVMT05HIFRPIFVT\"]::placeholder { color: transparent; }";
    private const string ProblemSchema = "Problem";

    public static IServiceCollection AddPayByLinkOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "PayByLink API";
                document.Info.Description =
                    "Send personalised payment links by SMS and email, one at a time or as CSV batches. Every /api/v1 call carries the " +
                    $"merchant's key in the {MerchantAuthentication.KeyHeader} header. Errors are RFC 9457 problem details with a stable code.";
                // A base without a trailing slash, so that it joins the paths (which start with one) cleanly.
                foreach (var server in document.Servers ?? [])
                {
                    server.Url = server.Url?.TrimEnd('/');
                }

                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = MerchantAuthentication.KeyHeader,
                    Description = "The merchant's subscription key (pbl_…), as issued by `key issue`.",
                };
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas[ProblemSchema] = Problem();
                foreach (var schema in document.Components.Schemas.Values.OfType<OpenApiSchema>())
                {
                    DropNullFromObjectsThatAreNeverNull(schema);
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (!MerchantAuthentication.IsRequiredFor("/" + context.Description.RelativePath))
                {
                    return Task.CompletedTask;
                }

                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [] }];
                operation.Responses ??= new OpenApiResponses();
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Missing, unknown or revoked key." });
                const string rateLimited = "rate-limited: the key's requests came faster than its merchant's rate (by default 50 a second, " +
                    "up to 100 at once). Repeat after Retry-After. Every answer carries RateLimit-Policy and RateLimit headers (IETF draft).";
                if (operation.Responses.TryGetValue("429", out var capped) && capped is OpenApiResponse daily)
                {
                    daily.Description = rateLimited + " Or daily-cap-reached: a new request would pass the merchant's daily message cap " +
                        "for a channel (by default 20,000 SMS and 20,000 emails); the problem names the cap and today's count, and " +
                        "Retry-After is the merchant's next midnight.";
                }
                else
                {
                    operation.Responses.Add("429", new OpenApiResponse { Description = rateLimited });
                }

                operation.Responses.TryAdd("503", new OpenApiResponse { Description = "Storage is unavailable: try again after Retry-After." });
                foreach (var (status, description) in BodyProblemDescriptions)
                {
                    if (operation.Responses.TryGetValue(status, out var response) && response is OpenApiResponse bodyProblem)
                    {
                        bodyProblem.Description = description;
                    }
                }
                foreach (var (status, response) in operation.Responses)
                {
                    if (status[0] is '4' or '5' && response is OpenApiResponse error)
                    {
                        error.Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) },
                        };
                    }
                }

                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
                if (type == typeof(decimal))
                {
                    schema.Type = JsonSchemaType.Number | (schema.Type & JsonSchemaType.Null);
                    schema.Format = "decimal";
                    schema.Pattern = null;
                }

                if (context.JsonPropertyInfo is { } property && !IsNullable(property))
                {
                    schema.Type &= ~JsonSchemaType.Null;
                }

                if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
                {
                    schema.Required ??= new HashSet<string>();
                    foreach (var p in context.JsonTypeInfo.Properties.Where(p => IsRequired(context.JsonTypeInfo.Type, p)))
                    {
                        schema.Required.Add(p.Name);
                    }

                    schema.Metadata ??= new Dictionary<string, object>();
                    schema.Metadata[NeverNull] = context.JsonTypeInfo.Properties.Where(p => !IsNullable(p)).Select(p => p.Name).ToHashSet();
                }

                return Task.CompletedTask;
            });
        });

    private const string NeverNull = "paybylink:never-null";

    /// <summary>What the answers of <see cref="BodyProblem"/> other than a validation problem mean, in the operation's words.</summary>
    private static readonly Dictionary<string, string> BodyProblemDescriptions = new()
    {
        ["413"] = $"The body is over {JsonBody.MaxBytes} bytes.",
        ["415"] = "The body is not JSON.",
    };

    /// <summary>
    /// An object-valued field is written as "null or the object" (oneOf) before its schema is known; where the field
    /// is never null (a view's customer, a body's required customer), only the object is left.
    /// </summary>
    private static void DropNullFromObjectsThatAreNeverNull(OpenApiSchema schema)
    {
        if (schema.Metadata?.TryGetValue(NeverNull, out var names) != true || schema.Properties is null)
        {
            return;
        }

        foreach (var name in (HashSet<string>)names!)
        {
            if (schema.Properties.TryGetValue(name, out var property) && property is OpenApiSchema { OneOf: { Count: 2 } choices } &&
                choices.SingleOrDefault(c => c is not OpenApiSchema { Type: JsonSchemaType.Null }) is { } objectSchema)
            {
                schema.Properties[name] = objectSchema;
            }
        }
    }

    /// <summary>
    /// A field is required when the API always writes it (a record's constructor parameter: every view) or when it
    /// carries <see cref="RequiredAttribute"/> (a request body's fields the rules demand).
    /// </summary>
    private static bool IsRequired(Type owner, JsonPropertyInfo property) =>
        property.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true ||
        owner.GetConstructors().Any(c => c.GetParameters().Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Null is allowed where the C# type says so, unless the field is required in a request body.</summary>
    private static bool IsNullable(JsonPropertyInfo property)
    {
        if (property.AttributeProvider is not PropertyInfo info)
        {
            return true;
        }

        if (info.IsDefined(typeof(RequiredAttribute), inherit: true))
        {
            return false;
        }

        return new NullabilityInfoContext().Create(info).ReadState != NullabilityState.NotNull;
    }

    /// <summary>The query parameter of a list call, for an operation's own transformer.</summary>
    public static OpenApiParameter Query(string name, string description, JsonSchemaType type, string example, string? format = null) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Required = false,
        Description = description,
        Schema = new OpenApiSchema { Type = type, Format = format },
        Example = type is JsonSchemaType.Integer or JsonSchemaType.Number ? JsonNode.Parse(example) : JsonValue.Create(example),
    };

    /// <summary>The paging parameters of a list read by continuation: <c>pageSize</c> and <c>continuationToken</c>.</summary>
    public static OpenApiParameter[] ContinuationPaging(string tokenExample) =>
    [
        Query("pageSize", $"1 to {Paging.MaxPageSize}; {Paging.DefaultPageSize} when absent.", JsonSchemaType.Integer, "25", "int32"),
        Query("continuationToken", "From the previous page's continuationToken.", JsonSchemaType.String, tokenExample),
    ];

    /// <summary>Adds the given query parameters to the endpoint's operation.</summary>
    public static RouteHandlerBuilder WithQueryParameters(this RouteHandlerBuilder builder, params OpenApiParameter[] parameters) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var parameter in parameters)
            {
                operation.Parameters.Add(parameter);
            }

            return Task.CompletedTask;
        });

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. `code` is stable; `title` and `detail` are for people.",
        Required = new HashSet<string> { "type", "title", "status", "code", "detail", "traceId" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "urn:paybylink:problem:{code}" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable error code, such as validation-failed or storage-unavailable." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Quote it to support: it finds the call in the logs." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "validation-failed only: field → messages.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["fieldErrors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "validation-failed only: each error with its field and stable code.",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["field"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
        },
    };
}
