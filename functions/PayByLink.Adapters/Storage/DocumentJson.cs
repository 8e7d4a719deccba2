using System.Text.Json;
using System.Text.Json.Serialization;

namespace PayByLink.Adapters.Storage;

/// <summary>How the stores write the documents their rows carry (requests, batches, events, webhook endpoints): one format for all.</summary>
internal static class DocumentJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
