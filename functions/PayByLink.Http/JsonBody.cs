using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PayByLink.Core.Domain;

namespace PayByLink.Http;

/// <summary>Reads a JSON request body, turning every way it can be wrong into a problem for the caller.</summary>
public static class JsonBody
{
    public const long MaxBytes = 64 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problems.UnsupportedMediaType());
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, Problems.PayloadTooLarge(MaxBytes));
        }

        try
        {
            using var buffer = new MemoryStream();
            await CopyLimitedAsync(request.Body, buffer, cancellationToken);
            if (buffer.Length == 0)
            {
                return (null, Problems.Validation("body", "required", "A JSON body is required."));
            }

            buffer.Position = 0;
            var value = await JsonSerializer.DeserializeAsync<T>(buffer, ApiJson.Options, cancellationToken);
            return value is null
                ? (null, Problems.Validation("body", "required", "A JSON object is required."))
                : (value, null);
        }
        catch (BodyTooLargeException)
        {
            return (null, Problems.PayloadTooLarge(MaxBytes));
        }
        catch (JsonException e)
        {
            return (null, Problems.Validation([ToFieldError(e)]));
        }
    }

    private static FieldError ToFieldError(JsonException e)
    {
        // Syntax errors carry the reader's exception; a value of the wrong type names its path instead.
        var path = e.Path?.TrimStart('$', '.') ?? "";
        if (e.InnerException?.GetType().Name == "JsonReaderException" || path.Length == 0)
        {
            return new FieldError("body", "invalid_json", "The body is not a valid JSON object.");
        }

        var field = string.Join('.', path.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
        return new FieldError(field, "invalid_type", $"{field} has the wrong type or format.");
    }

    private static async Task CopyLimitedAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var chunk = new byte[8192];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (destination.Length + read > MaxBytes)
            {
                throw new BodyTooLargeException();
            }

            await destination.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }
    }

    private sealed class BodyTooLargeException : Exception;
}
