using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Carrier;

/// <summary>What the carrier tests share: unique customers, and carrier events and texts posted as Event Grid would.</summary>
public static class CarrierTestKit
{
    /// <summary>A UK mobile number no other test uses (STOPs hold for every merchant sending from the number).</summary>
    public static string NewMobile() => $"07400 {Random.Shared.Next(100000, 999999)}";

    public static string E164(string mobile) => "+44" + mobile.Replace(" ", "")[1..];

    public static string NewEmail() => $"c{Guid.NewGuid():N}@example.com";

    public static Task<HttpResponseMessage> PostEventsAsync(this SuiteFixture suite, string json, string? key = SuiteFixture.CarrierKey,
        string contentType = "application/json") =>
        suite.ClientWithKey(null).PostAsync(key is null ? "api/acs/events" : $"api/acs/events?key={Uri.EscapeDataString(key)}",
            new StringContent(json, Encoding.UTF8, contentType));

    public static Task<HttpResponseMessage> PostEventsAsync(this SuiteFixture suite, params JsonObject[] events) =>
        suite.PostEventsAsync(AcsEvents.Json(events));

    public static Task<HttpResponseMessage> TextAsync(this SuiteFixture suite, string from, string message) =>
        suite.ClientWithKey(null).PostAsJsonAsync("dev/sms/inbound", new { from, message });
}
