using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using PayByLink.Core.PaymentRequests;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>Request bodies for tests: a valid create call, changed one field at a time.</summary>
public static class Requests
{
    /// <summary>Who the changes tests make through the use cases are made by: an API key.</summary>
    public static readonly PayByLink.Core.Events.Actor Caller = PayByLink.Core.Events.Actor.ApiKey("key-test");

    public static JsonObject ValidCreate(string? reference = null, string firstName = "Jane", string lastName = "Smith",
        decimal amount = 120.50m, string account = "ACC-42", string mobile = "07700 900123") => new()
    {
        ["clientTransactionRef"] = reference ?? "INV-" + Guid.NewGuid().ToString("N")[..10],
        ["amount"] = amount,
        ["accountReference"] = account,
        ["reason"] = "Invoice 1001",
        ["customer"] = new JsonObject
        {
            ["firstName"] = firstName,
            ["lastName"] = lastName,
            ["mobileNumber"] = mobile,
            ["email"] = "jane@example.com",
        },
    };

    /// <summary>A valid create as the core takes it, for tests that call the use case directly.</summary>
    public static PaymentRequestInput Input(string reference) => new()
    {
        ClientTransactionRef = reference,
        Amount = 90m,
        AccountReference = "ACC-1",
        Reason = "Rent",
        Customer = new CustomerInput { FirstName = "Jane", LastName = "Smith", MobileNumber = "07700 900123", Email = "jane@example.com" },
    };

    public static JsonObject With(this JsonObject body, string path, JsonNode? value)
    {
        var (copy, parent, name) = Locate(body, path);
        parent[name] = value;
        return copy;
    }

    public static JsonObject Without(this JsonObject body, string path)
    {
        var (copy, parent, name) = Locate(body, path);
        parent.Remove(name);
        return copy;
    }

    private static (JsonObject Copy, JsonObject Parent, string Name) Locate(JsonObject body, string path)
    {
        var copy = body.DeepClone().AsObject();
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(copy, (node, part) => node[part]!.AsObject());
        return (copy, parent, parts[^1]);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>
    /// GETs JSON as a patient client does: a 503 (storage busy, with Retry-After) is asked again, for up to a minute.
    /// For tests that load the runtime until storage is the bottleneck, and read only to watch progress.
    /// </summary>
    public static async Task<JsonElement> ReadJsonAsync(this HttpClient client, string url)
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(1); ; )
        {
            using var response = await client.GetAsync(url);
            if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                response.EnsureSuccessStatusCode();
                return await response.JsonAsync();
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    /// <summary>The body with its trace id taken out: what must match byte for byte between two answers.</summary>
    public static async Task<string> BodyWithoutTraceIdAsync(this HttpResponseMessage response) =>
        System.Text.RegularExpressions.Regex.Replace(await response.Content.ReadAsStringAsync(), "\"traceId\":\"[^\"]*\"", "");
}
