using System.Text.Json;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Delivery;

/// <summary>The wire format of a send message, the same on Storage Queues and Service Bus.</summary>
public static class SendMessageJson
{
    public static string Serialize(SendMessage message) => JsonSerializer.Serialize(message, StoredJson.Options);

    /// <exception cref="JsonException">The text is not a send message.</exception>
    public static SendMessage Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<SendMessage>(json, StoredJson.Options) ?? throw new JsonException("Empty send message.");
        }
        catch (NotSupportedException e)
        {
            throw new JsonException(e.Message, e);
        }
    }
}
