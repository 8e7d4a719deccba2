using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using PayByLink.Core.Domain;

namespace PayByLink.Http;

/// <summary>Reads a JSON request body, turning every way it can be wrong into a problem for the caller.</summary>
public static class JsonBody
{
    public const long MaxBytes = 64 * 1024;

    public static Task<(T? Value, BodyProblem? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class => ReadAsync<T>(request, rules: null, cancellationToken);

    /// <summary>
    /// Reads the body as <typeparamref name="T"/>. A field the type does not have, or one given twice, is an error; when
    /// there is one, the value is still read and checked by <paramref name="rules"/>, so the caller hears of every
    /// error in the body at once (a body without such errors is left to the caller's own check).
    /// </summary>
    public static async Task<(T? Value, BodyProblem? Problem)> ReadAsync<T>(HttpRequest request, Func<T, IReadOnlyList<FieldError>>? rules,
        CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, new BodyProblem(Problems.UnsupportedMediaType()));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, new BodyProblem(Problems.PayloadTooLarge(MaxBytes)));
        }

        if (await ReadBoundedAsync(request, cancellationToken) is not { } buffer)
        {
            return (null, new BodyProblem(Problems.PayloadTooLarge(MaxBytes)));
        }

        if (buffer.Length == 0)
        {
            return (null, new BodyProblem(Problems.Validation("body", "required", "A JSON body is required.")));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer);
        }
        catch (JsonException)
        {
            return (null, new BodyProblem(Problems.Validation("body", "invalid_json", "The body is not a valid JSON object.")));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, new BodyProblem(Problems.Validation("body", "required", "A JSON object is required.")));
            }

            var errors = new List<FieldError>();
            CheckFields(document.RootElement, ApiJson.Options.GetTypeInfo(typeof(T)), "", errors);
            T? value;
            try
            {
                value = document.RootElement.Deserialize<T>(ApiJson.Options);
            }
            catch (JsonException e)
            {
                var field = FieldName(e.Path);
                errors.Add(new FieldError(field, "invalid_type", $"{field} has the wrong type or format."));
                return (null, new BodyProblem(Problems.Validation(errors)));
            }

            if (errors.Count > 0 && rules is not null && value is not null)
            {
                errors.AddRange(rules(value));
            }

            return errors.Count > 0 ? (null, new BodyProblem(Problems.Validation(errors))) : (value, null);
        }
    }

    /// <summary>
    /// Each member the type does not have, and each given twice (names match in any case), at any depth: a misspelt
    /// field is named, never silently dropped, and a repeated one is never silently overwritten.
    /// </summary>
    private static void CheckFields(JsonElement element, JsonTypeInfo type, string path, List<FieldError> errors)
    {
        if (type.Kind == JsonTypeInfoKind.Object && element.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var member in element.EnumerateObject())
            {
                var name = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
                var property = type.Properties.FirstOrDefault(p => string.Equals(p.Name, member.Name, StringComparison.OrdinalIgnoreCase));
                if (!seen.Add(member.Name))
                {
                    errors.Add(new FieldError(name, "duplicate_field", $"{name}: given twice."));
                }
                else if (property is null)
                {
                    errors.Add(new FieldError(name, "unknown_field", $"{name}: unknown field."));
                }
                else
                {
                    CheckFields(member.Value, ApiJson.Options.GetTypeInfo(property.PropertyType), name, errors);
                }
            }
        }
        else if (type is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } elementType } && element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                CheckFields(item, ApiJson.Options.GetTypeInfo(elementType), $"{path}[{index++}]", errors);
            }
        }
    }

    /// <summary><c>$.customer.mobileNumber</c> → <c>customer.mobileNumber</c>, as the validation rules name fields.</summary>
    private static string FieldName(string? path)
    {
        var trimmed = path?.TrimStart('$', '.') ?? "";
        return trimmed.Length == 0
            ? "body"
            : string.Join('.', trimmed.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
    }

    /// <summary>
    /// The whole body when it is at most <see cref="MaxBytes"/>, else null, read no further than that: every body
    /// the API or an anonymous endpoint reads comes through here.
    /// </summary>
    public static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        using var destination = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (destination.Length + read > MaxBytes)
            {
                return null;
            }

            await destination.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }

        return destination.ToArray();
    }
}
