using System.Net.Http.Json;
using System.Text.Json;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>Reading a request over the API until it reaches a state, and what its deliveries and events say.</summary>
public static class RequestWaits
{
    /// <summary>The request once <paramref name="done"/> holds of it (or 20 s have passed).</summary>
    public static async Task<JsonElement> WaitForAsync(this TestMerchant merchant, string requestId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var body = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{requestId}");
            if (done(body) || DateTime.UtcNow > deadline)
            {
                return body;
            }

            await Task.Delay(100);
        }
    }

    public static JsonElement Delivery(this JsonElement request, string channel, string purpose = "initial") =>
        request.GetProperty("deliveries").EnumerateArray().Single(d => d.Str("channel") == channel && d.Str("purpose") == purpose);

    public static bool HasDelivery(this JsonElement request, string channel, params string[] statuses) =>
        request.GetProperty("deliveries").EnumerateArray().Any(d => d.Str("channel") == channel && statuses.Contains(d.Str("status")));

    public static async Task<List<string>> EventTypesAsync(this TestMerchant merchant, string requestId) =>
        (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{requestId}/events"))
        .GetProperty("items").EnumerateArray().Select(e => e.Str("type")).ToList();
}
