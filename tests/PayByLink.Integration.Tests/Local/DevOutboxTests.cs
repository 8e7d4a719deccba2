using System.Net.Http.Headers;
using System.Text.Json;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Local;

[Collection(SuiteCollection.Name)]
public class DevOutboxTests(SuiteFixture suite)
{
    [Fact]
    public async Task The_outbox_page_shows_each_message_encoded_with_its_links_clickable()
    {
        var merchant = await suite.NewMerchantAsync();
        var created = await (await merchant.CreateAsync(Requests.ValidCreate().With("reason", "<b>Rent</b> & rates"))).JsonAsync();
        await suite.Outbox.ForRequestAsync(created.Str("requestId"), 2);

        var html = await suite.ClientWithKey(null).GetStringAsync("dev/outbox");

        html.ShouldContain($"<a href=\"{created.Str("shortUrl")}\">{created.Str("shortUrl")}</a>");
        html.ShouldContain($"<a href=\"{created.Str("longUrl")}\">");
        html.ShouldContain("&lt;b&gt;Rent&lt;/b&gt; &amp; rates");
        html.ShouldNotContain("<b>Rent</b>");
    }

    [Fact]
    public async Task The_outbox_answers_json_when_asked()
    {
        var merchant = await suite.NewMerchantAsync();
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");
        await suite.Outbox.ForRequestAsync(id, 2);
        var request = new HttpRequestMessage(HttpMethod.Get, $"dev/outbox?requestId={id}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var response = await suite.ClientWithKey(null).SendAsync(request);

        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var messages = (await response.JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        messages.ShouldAllBe(m => m.Str("requestId") == id);
        messages.Select(m => m.Str("channel")).ShouldBe(["sms", "email"], ignoreOrder: true);
        var email = messages.Single(m => m.Str("channel") == "email");
        email.Str("recipient").ShouldBe("jane@example.com");
        email.Str("subject").ShouldContain("£120.50");
        email.Str("body").ShouldContain("/pay/");
        email.GetProperty("time").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task The_outbox_json_pages_with_a_continuation_token_and_filters_by_recipient()
    {
        var merchant = await suite.NewMerchantAsync();
        var address = $"c{Guid.NewGuid():N}@example.com";
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await (await merchant.CreateAsync(Requests.ValidCreate().Without("customer.mobileNumber").With("customer.email", address))).JsonAsync())
                .Str("requestId"));
        }

        foreach (var id in ids)
        {
            await suite.Outbox.ForRequestAsync(id, 1);
        }

        async Task<JsonElement> PageAsync(string query)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "dev/outbox?" + query);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return await (await suite.ClientWithKey(null).SendAsync(request)).JsonAsync();
        }

        var seen = new List<JsonElement>();
        var page = await PageAsync($"recipient={Uri.EscapeDataString(address)}&pageSize=2");
        seen.AddRange(page.GetProperty("items").EnumerateArray());
        seen.Count.ShouldBe(2);
        page = await PageAsync($"recipient={Uri.EscapeDataString(address)}&pageSize=2&continuationToken={Uri.EscapeDataString(page.Str("continuationToken"))}");
        seen.AddRange(page.GetProperty("items").EnumerateArray());

        seen.Select(m => m.Str("requestId")).ShouldBe(ids, ignoreOrder: true);
        seen.ShouldAllBe(m => m.Str("recipient") == address);
        var times = seen.Select(m => m.GetProperty("time").GetDateTime()).ToList();
        times.ShouldBe(times.OrderByDescending(t => t).ToList(), "newest first");
    }

    [Fact]
    public async Task The_outbox_finds_a_mobile_number_as_people_type_it_and_refuses_a_bad_page_size()
    {
        var merchant = await suite.NewMerchantAsync();
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate(mobile: "07700 900457"))).JsonAsync()).Str("requestId");
        await suite.Outbox.ForRequestAsync(id, 2);

        foreach (var typed in new[] { "07700 900457", "+44 7700 900457", "+447700900457" })
        {
            var page = await OutboxJsonAsync($"recipient={Uri.EscapeDataString(typed)}&pageSize=100");
            page.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
            (await page.JsonAsync()).GetProperty("items").EnumerateArray().ShouldContain(m => m.Str("requestId") == id, typed);
        }

        foreach (var bad in new[] { "abc", "0", "-1", "201" })
        {
            var refused = await OutboxJsonAsync($"pageSize={bad}");
            refused.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest, bad);
            (await refused.JsonAsync()).GetProperty("fieldErrors")[0].Str("field").ShouldBe("pageSize");
        }
    }

    private async Task<HttpResponseMessage> OutboxJsonAsync(string query)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "dev/outbox?" + query);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await suite.ClientWithKey(null).SendAsync(request);
    }
}
