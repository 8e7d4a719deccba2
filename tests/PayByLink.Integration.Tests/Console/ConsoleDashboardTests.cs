using System.Net;
using System.Net.Http.Json;
using PayByLink.Core.Staff;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Console;

/// <summary>The dashboard over real HTTP: the API's figures for today, 7 or 30 days or days chosen, to anyone who may view.</summary>
[Collection(SuiteCollection.Name)]
public sealed class ConsoleDashboardTests(SuiteFixture suite)
{
    [Fact]
    public async Task A_viewer_sees_the_days_figures_the_api_gives_and_a_bad_range_is_refused_with_its_reason()
    {
        var merchant = await suite.NewMerchantAsync();
        var paid = (await (await merchant.CreateAsync(Requests.ValidCreate(amount: 42.50m))).JsonAsync()).Str("requestId");
        await merchant.WaitForAsync(paid, r => r.HasDelivery("sms", "Delivered") && r.HasDelivery("email", "Sent", "Delivered"));
        (await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{paid}", new { status = "Paid" })).EnsureSuccessStatusCode();
        using var viewer = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Viewer));

        ConsoleAnswer page;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            page = await viewer.GetAsync("console/dashboard?days=1");
        }
        while (!page.Text.Contains("Paid 1", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Text.ShouldContain("Links sent 2 By text 1 By email 1");
        page.Text.ShouldContain("Paid 1 Sent to paid 50%");
        page.Text.ShouldContain("Collected: £42.50");
        page.Html.ShouldContain("<svg viewBox=\"0 0 320 190\"");
        page.Html.ShouldContain("aria-current=\"page\">Today</a>");
        (await viewer.GetAsync("console/dashboard")).Text.ShouldContain("Last 7 days");
        (await viewer.GetAsync("console/dashboard?days=30")).Html.Split("class=\"bar-sent\"").Length.ShouldBe(31);

        var bad = await viewer.GetAsync("console/dashboard?from=2026-02-10&to=2026-02-01");
        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        bad.Text.ShouldContain("from must not be after to.");
        bad.Html.ShouldContain("href=\"#from\"");
    }
}
