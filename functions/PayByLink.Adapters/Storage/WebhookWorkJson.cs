using PayByLink.Core.Ports;
using System.Text.Json;
using PayByLink.Core.Webhooks;

namespace PayByLink.Adapters.Storage;

public static class WebhookWorkJson
{
    public static string Write(WebhookWork work) => JsonSerializer.Serialize(work, StoredJson.Options);

    public static WebhookWork Read(string json) =>
        JsonSerializer.Deserialize<WebhookWork>(json, StoredJson.Options) is { MerchantId: not null, EndpointId: not null, SubjectId: not null } work
            ? work
            : throw new JsonException("Not webhook work.");
}
