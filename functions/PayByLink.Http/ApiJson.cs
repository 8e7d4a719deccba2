using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PayByLink.Http;

/// <summary>
/// JSON as the API reads it: property names matched case-insensitively, and a number too large or too small for
/// its field read as the largest or smallest the field holds, so that the rule bounding the field (an amount's
/// limit, a plan's instalments) answers with its range instead of a parse error.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Converters = { new SaturatingDecimal(), new SaturatingInt32() },
    };

    /// <summary>JSON as the API writes it (responses and webhook bodies): URLs keep their '&amp;' and '+' as written, numbers are numbers.</summary>
    public static readonly JsonSerializerOptions Output = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.Strict,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

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
