using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PayByLink.Http;

/// <summary>
/// JSON as the API reads and writes it (requests, responses and webhook bodies): property names matched
/// case-insensitively; numbers are numbers, and one too large or too small for its field is read as the largest or
/// smallest the field holds, so that the rule bounding the field (an amount's limit, a plan's instalments) answers with
/// its range instead of a parse error; URLs keep their '&amp;' and '+' as written (responses are JSON, never HTML).
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web)))
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Converters = { new SaturatingDecimal(), new SaturatingInt32() },
    };

    /// <summary>
    /// Makes <paramref name="options"/> (the host's own, for what the framework writes and describes) write as the API
    /// does. The saturating numbers are for reading bodies, which only <see cref="JsonBody"/> does; left out here, the
    /// OpenAPI description still sees a decimal and an integer.
    /// </summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.NumberHandling = JsonNumberHandling.Strict;
        return options;
    }

    public const string ContentType = "application/json";

    private sealed class SaturatingDecimal : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw new JsonException("Not a number.");
            }

            return reader.TryGetDecimal(out var value) ? value : reader.GetDouble() > 0 ? decimal.MaxValue : decimal.MinValue;
        }

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    private sealed class SaturatingInt32 : JsonConverter<int>
    {
        public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw new JsonException("Not a number.");
            }

            if (reader.TryGetInt32(out var value))
            {
                return value;
            }

            var number = reader.GetDouble();
            return Math.Floor(number) == number ? number > 0 ? int.MaxValue : int.MinValue : throw new JsonException("Not a whole number.");
        }

        public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }
}
