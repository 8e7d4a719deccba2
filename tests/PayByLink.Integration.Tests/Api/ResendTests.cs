using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayByLink.Integration.Tests.Carrier;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Api;

/// <summary>Sending a link again over HTTP: to the customer's number, to a corrected one, and the calls refused.</summary>
[Collection(SuiteCollection.Name)]
public class ResendTests(SuiteFixture suite)
{
    [Fact]
    public async Task A_link_is_sent_again_the_same_link_to_the_same_number_then_to_a_corrected_one_that_replaces_it()
    {
        var merchant = await suite.NewMerchantAsync();
        var (mobile, corrected) = (CarrierTestKit.NewMobile(), CarrierTestKit.NewMobile());
        var created = await (await merchant.CreateAsync(Requests.ValidCreate(mobile: mobile).With("customer.email", null))).JsonAsync();
        var id = created.Str("requestId");
        (await suite.Outbox.ForRequestAsync(id, 1)).Count.ShouldBe(1);

        var again = await merchant.Http.PostAsJsonAsync($"api/v1/payment-requests/{id}/resend", new { channel = "sms" });
        again.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await suite.Outbox.ForRequestAsync(id, 2)).Count.ShouldBe(2, "sent before the number is corrected: a send goes to the contact as it stands then");
        var moved = await merchant.Http.PostAsJsonAsync($"api/v1/payment-requests/{id}/resend", new { channel = "sms", mobileNumber = corrected });
        moved.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await moved.JsonAsync()).GetProperty("customer").Str("mobileNumber").ShouldBe(CarrierTestKit.E164(corrected));

        var messages = await suite.Outbox.ForRequestAsync(id, 3);
        messages.Select(m => (m.SendId, m.Recipient)).ShouldBe(
        [
            ($"{id}.sms.initial", CarrierTestKit.E164(mobile)), ($"{id}.sms.resend-1", CarrierTestKit.E164(mobile)),
            ($"{id}.sms.resend-2", CarrierTestKit.E164(corrected)),
        ], ignoreOrder: true);
        messages.ShouldAllBe(m => m.Body.Contains(created.Str("shortUrl")), "the same link every time");

        var resent = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{id}/events")).GetProperty("items").EnumerateArray()
            .Where(e => e.Str("type") == "payment_request.resent").ToList();
        resent.Count.ShouldBe(2);
        resent.ShouldAllBe(e => e.GetProperty("actor").Str("id") == merchant.KeyId);

        // Found by its corrected number now, and no longer by the old one.
        (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?mobileNumber={Uri.EscapeDataString(corrected)}"))
            .GetProperty("items").EnumerateArray().Single().Str("requestId").ShouldBe(id);
        (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?mobileNumber={Uri.EscapeDataString(mobile)}"))
            .GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_closed_request_another_merchants_and_bad_bodies_are_refused_with_problems()
    {
        var (merchant, other) = (await suite.NewMerchantAsync(), await suite.NewMerchantAsync());
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");

        foreach (var body in new object[] { new { }, new { channel = "fax" }, new { channel = "email", mobileNumber = "07700 900123" }, new { channel = "sms", extra = 1 } })
        {
            var response = await merchant.Http.PostAsJsonAsync($"api/v1/payment-requests/{id}/resend", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, JsonSerializer.Serialize(body));
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        (await other.Http.PostAsJsonAsync($"api/v1/payment-requests/{id}/resend", new { channel = "sms" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{id}", new { status = "Cancelled" })).EnsureSuccessStatusCode();
        var closed = await merchant.Http.PostAsJsonAsync($"api/v1/payment-requests/{id}/resend", new { channel = "sms" });
        closed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await closed.JsonAsync()).Str("code").ShouldBe("request-closed");
    }
}
