using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayByLink.Integration.Tests.Infrastructure;
using static PayByLink.Integration.Tests.Carrier.CarrierTestKit;

namespace PayByLink.Integration.Tests.Reporting;

/// <summary>The merchant's figures over real HTTP, counted as the runtime sends, receives receipts, opens and is paid.</summary>
[Collection(SuiteCollection.Name)]
public class StatsTests(SuiteFixture suite)
{
    [Fact]
    public async Task The_figures_count_each_request_once_at_each_step_and_stay_with_their_merchant()
    {
        var merchant = await suite.NewMerchantAsync();
        var other = await suite.NewMerchantAsync();
        var ids = new List<string>();
        foreach (var (mobile, amount) in new[] { (NewMobile(), 20.00m), (NewMobile(), 30.00m), ("+447700900999", 5.00m) })
        {
            var created = await merchant.CreateAsync(Requests.ValidCreate(amount: amount, mobile: mobile));
            ids.Add((await created.JsonAsync()).Str("requestId"));
        }

        foreach (var id in ids)
        {
            await merchant.WaitForAsync(id, r => r.HasDelivery("sms", "Delivered", "Undeliverable"));
        }

        var page = suite.ClientWithKey(null);
        var longUrl = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{ids[0]}")).Str("longUrl");
        (await page.GetAsync(longUrl)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.GetAsync(longUrl)).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var id in ids.Take(2))
        {
            (await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{id}", new { status = "Paid" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Yesterday and today, so a test that runs over midnight counts the same.
        var today = DateTime.UtcNow.Date;
        var range = $"from={today.AddDays(-1):yyyy-MM-dd}&to={today:yyyy-MM-dd}";
        var stats = await WaitForAsync(merchant, range, s => s.GetProperty("totals").Int("paid") == 2);
        var totals = stats.GetProperty("totals");
        (totals.Int("sentSms"), totals.Int("sentEmail"), totals.Int("delivered"), totals.Int("opened"), totals.Int("paid"))
            .ShouldBe((3, 3, 3, 1, 2), "a request counts as delivered once, by either channel: the third one's email was, its text was not");
        totals.GetProperty("collected").GetProperty("GBP").GetDecimal().ShouldBe(50.00m);
        stats.GetProperty("conversion").GetDouble().ShouldBe(0.3333);
        stats.GetProperty("days").GetArrayLength().ShouldBe(2);
        stats.Str("timeZone").ShouldBe("Europe/London");

        var theirs = (await other.Http.GetFromJsonAsync<JsonElement>($"api/v1/stats?{range}")).GetProperty("totals");
        (theirs.Int("sentSms"), theirs.Int("paid")).ShouldBe((0, 0));
        var lastWeek = await other.Http.GetFromJsonAsync<JsonElement>("api/v1/stats");
        lastWeek.GetProperty("days").GetArrayLength().ShouldBe(7);
        lastWeek.GetProperty("conversion").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-01-10&to=2026-01-01", "from")]
    [InlineData("to=2999-01-01", "to")]
    public async Task A_bad_range_is_a_400_naming_its_field(string query, string field)
    {
        var merchant = await suite.NewMerchantAsync();
        var response = await merchant.Http.GetAsync($"api/v1/stats?{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    private static async Task<JsonElement> WaitForAsync(TestMerchant merchant, string range, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var stats = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/stats?{range}");
            if (done(stats) || DateTime.UtcNow > deadline)
            {
                return stats;
            }

            await Task.Delay(200);
        }
    }
}
