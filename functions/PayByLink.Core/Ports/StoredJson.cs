using System.Text.Json;
using System.Text.Json.Serialization;

namespace PayByLink.Core.Ports;

/// <summary>
/// JSON as the suite stores it: the documents its rows carry (requests, batches, events, webhook endpoints) and the
/// messages on its queues. One format for all, enums by name.
/// </summary>
public static class StoredJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
