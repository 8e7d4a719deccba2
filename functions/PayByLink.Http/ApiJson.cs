using System.Text.Json;

namespace PayByLink.Http;

/// <summary>JSON as the API speaks it: camelCase out, property names matched case-insensitively in.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public const string ContentType = "application/json";
}
