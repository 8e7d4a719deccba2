using System.Text.Json;
using System.Text.Json.Serialization;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters;

/// <summary>The wire format of a send message, the same on Storage Queues and Service Bus.</summary>
public static class SendMessageJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(SendMessage message) => JsonSerializer.Serialize(message, Options);

    public static BinaryData ToBinary(SendMessage message) => BinaryData.FromObjectAsJson(message, Options);

    public static SendMessage Deserialize(string json) =>
        JsonSerializer.Deserialize<SendMessage>(json, Options) ?? throw new JsonException("Empty send message.");
}
