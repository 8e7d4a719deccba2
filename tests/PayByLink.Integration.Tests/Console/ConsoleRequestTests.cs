using System.Net;
using System.Net.Http.Json;
using PayByLink.Core.Staff;
using PayByLink.Integration.Tests.Carrier;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Console;

/// <summary>
/// An agent's work in the console over real HTTP: preview and send a link by the API's own rules, a repeat submit that
/// makes nothing new, the request's page and its progress, resend and cancel recorded with the agent as actor, and
/// the list, "my links today" and its export.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class ConsoleRequestTests(SuiteFixture suite)
{
    private async Task<(TestMerchant Merchant, string Email, ConsoleClient Agent)> AgentAsync()
    {
        var merchant = await suite.NewMerchantAsync();
        var email = await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Agent);
        return (merchant, email, await ConsoleClient.SignedInAsync(suite, email));
    }

    private static string RequestIdFrom(string location) => location.Split('/').Last().Split('?')[0];

    [Fact]
    public async Task The_preview_shows_the_sms_with_its_alphabet_and_segments_and_the_email_and_sends_nothing()
    {
        var (merchant, _, agent) = await AgentAsync();
        var fields = ConsoleForms.NewRequest("CON-PREVIEW-1");
        fields["reason"] = "Naprawa łodzi 42";

        var page = await agent.SubmitAsync("console/requests/new", "console/requests/new", fields);

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Text.ShouldContain("What the customer will get");
        page.Text.ShouldContain("Acme Energy: please pay £120.50 for Naprawa łodzi 42.");
        page.Text.ShouldContain("in UCS-2, 2 segments");
        page.Text.ShouldContain("Subject: Acme Energy: please pay £120.50");
        page.Html.ShouldContain("value=\"CON-PREVIEW-1\""); // the form keeps what was typed
        (await (await merchant.Http.GetAsync("api/v1/payment-requests?clientTransactionRef=CON-PREVIEW-1")).JsonAsync())
            .GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Errors_are_the_api_s_own_shown_beside_their_fields_and_in_a_summary_that_links_to_them()
    {
        var (_, _, agent) = await AgentAsync();
        var fields = ConsoleForms.NewRequest("CON-ERRORS-1", send: true, mobile: "12", email: "");
        fields["amount"] = "-3";
        fields.Remove("reason");

        var page = await agent.SubmitAsync("console/requests/new", "console/requests/new", fields);

        page.Status.ShouldBe(HttpStatusCode.BadRequest);
        page.Html.ShouldContain("<title>Error: Send a payment link");
        page.Html.ShouldContain("<a href=\"#customer.mobileNumber\">");
        page.Html.ShouldContain("<a href=\"#amount\">");
        page.Html.ShouldContain("<a href=\"#reason\">Give a reason, a passphrase, or both.</a>");
        page.Html.ShouldContain("id=\"amount-error\"");
        page.Html.ShouldContain("aria-describedby=\"amount-error\" aria-invalid=\"true\"");
    }

    [Fact]
    public async Task Sending_makes_the_request_with_the_agent_as_its_actor_and_a_repeat_submit_makes_nothing_new()
    {
        var (merchant, email, agent) = await AgentAsync();
        var form = await agent.GetAsync("console/requests/new");
        var token = ConsoleClient.Token(form.Html);
        var fields = ConsoleForms.NewRequest("CON-SEND-1", send: true);

        var first = await agent.PostAsync("console/requests/new", token, fields);
        var again = await agent.PostAsync("console/requests/new", token, fields);

        first.Status.ShouldBe(HttpStatusCode.Found);
        var requestId = RequestIdFrom(first.Location!);
        RequestIdFrom(again.Location!).ShouldBe(requestId);
        (await (await merchant.Http.GetAsync("api/v1/payment-requests?clientTransactionRef=CON-SEND-1")).JsonAsync())
            .GetProperty("items").GetArrayLength().ShouldBe(1);
        var created = (await merchant.Http.ReadJsonAsync($"api/v1/payment-requests/{requestId}/events")).GetProperty("items")[0];
        created.Str("type").ShouldBe("payment_request.created");
        created.GetProperty("actor").Str("type").ShouldBe("user");
        created.GetProperty("actor").Str("id").ShouldBe(email);

        var page = await agent.GetAsync(first.Location!.TrimStart('/'));
        page.Text.ShouldContain("The link is on its way to the customer.");
        page.Text.ShouldContain($"By {email}");
        page.Html.ShouldContain("data-final=\"false\"");
        var shortUrl = (await merchant.Http.ReadJsonAsync($"api/v1/payment-requests/{requestId}")).Str("shortUrl");
        page.Html.ShouldContain($"value=\"{shortUrl}\"");
    }

    [Fact]
    public async Task The_progress_shows_delivery_and_payment_and_is_final_once_paid()
    {
        var (merchant, _, agent) = await AgentAsync();
        var sent = await agent.SubmitAsync("console/requests/new", "console/requests/new", ConsoleForms.NewRequest("CON-PROGRESS-1", send: true));
        var requestId = RequestIdFrom(sent.Location!);
        await suite.Outbox.ForRequestAsync(requestId, 2);

        await merchant.WaitForAsync(requestId, r => r.HasDelivery("sms", "Delivered"));
        (await agent.GetAsync($"console/requests/{requestId}/progress")).Text.ShouldContain("Text delivered : done. The carrier's receipt says it arrived");
        (await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{requestId}", new { status = "Paid" })).EnsureSuccessStatusCode();

        var progress = await agent.GetAsync($"console/requests/{requestId}/progress");
        progress.Html.ShouldStartWith("<section id=\"progress\"");
        progress.Html.ShouldContain("data-final=\"true\"");
        progress.Text.ShouldContain("Paid: this request is closed, so this page no longer updates");
        progress.Text.ShouldContain("Paid : done. Paid £120.50");
    }

    [Fact]
    public async Task Resend_to_a_corrected_number_and_cancel_after_confirming_are_recorded_with_the_agent()
    {
        var (merchant, email, agent) = await AgentAsync();
        var sent = await agent.SubmitAsync("console/requests/new", "console/requests/new", ConsoleForms.NewRequest("CON-RESEND-1", send: true));
        var page = sent.Location!.TrimStart('/');
        var requestId = RequestIdFrom(page);

        var resent = await agent.SubmitAsync(page, $"console/requests/{requestId}/resend", new() { ["channel"] = "sms", ["mobileNumber"] = "07700 900456" });
        resent.Location.ShouldBe($"/console/requests/{requestId}?done=resent");
        var bad = await agent.SubmitAsync(page, $"console/requests/{requestId}/resend", new() { ["channel"] = "sms", ["mobileNumber"] = "12" });
        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        bad.Text.ShouldContain("The link was not sent again");

        var confirm = await agent.GetAsync($"console/requests/{requestId}/cancel");
        confirm.Text.ShouldContain("Yes, cancel the request");
        var cancelled = await agent.PostAsync($"console/requests/{requestId}/cancel", ConsoleClient.Token(confirm.Html), []);
        cancelled.Location.ShouldBe($"/console/requests/{requestId}?done=cancelled");

        var request = await merchant.Http.ReadJsonAsync($"api/v1/payment-requests/{requestId}");
        request.Str("status").ShouldBe("Cancelled");
        request.GetProperty("customer").Str("mobileNumber").ShouldBe("+447700900456");
        var events = (await merchant.Http.ReadJsonAsync($"api/v1/payment-requests/{requestId}/events")).GetProperty("items").EnumerateArray().ToList();
        events.Single(e => e.Str("type") == "payment_request.resent").GetProperty("actor").Str("id").ShouldBe(email);
        events.Single(e => e.Str("type") == "payment_request.cancelled").GetProperty("actor").Str("id").ShouldBe(email);
        (await agent.GetAsync(page)).Html.ShouldNotContain("Send the link again"); // closed: no actions
    }

    [Fact]
    public async Task The_list_filters_by_the_api_s_rules_my_links_today_are_mine_and_the_export_is_the_same_list_formula_safe()
    {
        var (merchant, _, agent) = await AgentAsync();
        var colleague = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Agent));
        var mine = ConsoleForms.NewRequest("CON-LIST-MINE", send: true);
        mine["accountReference"] = "=1+2";
        await agent.SubmitAsync("console/requests/new", "console/requests/new", mine);
        await colleague.SubmitAsync("console/requests/new", "console/requests/new", ConsoleForms.NewRequest("CON-LIST-THEIRS", send: true));
        (await merchant.CreateAsync(Requests.ValidCreate("API-LIST-1"))).EnsureSuccessStatusCode();

        var all = await agent.GetAsync("console/requests");
        all.Text.ShouldContain("CON-LIST-MINE");
        all.Text.ShouldContain("CON-LIST-THEIRS");
        all.Text.ShouldContain("API-LIST-1");
        var today = await agent.GetAsync("console/requests?mine=1");
        today.Text.ShouldContain("My links today");
        today.Text.ShouldContain("CON-LIST-MINE");
        today.Text.ShouldNotContain("CON-LIST-THEIRS");
        today.Text.ShouldNotContain("API-LIST-1");
        var bad = await agent.GetAsync("console/requests?mobile=12&amount=abc");
        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        bad.Html.ShouldContain("<a href=\"#mobile\">");
        bad.Html.ShouldContain("<a href=\"#amount\">amount must be a positive decimal number such as 120.50.</a>");

        var csv = await agent.GetAsync("console/requests.csv?mine=1");
        csv.ContentType.ShouldBe("text/csv");
        var lines = csv.Html.TrimEnd().Split("\r\n");
        lines[0].ShouldBe("Reference,Request,Account,Customer,Amount,Status,Created,Expires");
        lines.Length.ShouldBe(2);
        lines[1].ShouldStartWith("CON-LIST-MINE,pr_");
        lines[1].ShouldContain(",'=1+2,Jane Smith,£120.50,");
    }

    [Fact]
    public async Task An_undeliverable_text_and_an_opted_out_customer_are_said_in_plain_words_with_what_to_do()
    {
        var (merchant, _, agent) = await AgentAsync();
        var undeliverable = RequestIdFrom((await agent.SubmitAsync("console/requests/new", "console/requests/new",
            ConsoleForms.NewRequest("CON-UNDELIVERABLE", send: true, mobile: "07700 900999"))).Location!);
        var optedOutMobile = CarrierTestKit.NewMobile();
        (await suite.TextAsync(CarrierTestKit.E164(optedOutMobile), "STOP")).EnsureSuccessStatusCode();
        var optedOut = RequestIdFrom((await agent.SubmitAsync("console/requests/new", "console/requests/new",
            ConsoleForms.NewRequest("CON-OPTED-OUT", send: true, mobile: optedOutMobile))).Location!);

        await merchant.WaitForAsync(undeliverable, r => r.HasDelivery("sms", "Undeliverable"));
        await merchant.WaitForAsync(optedOut, r => r.HasDelivery("sms", "Skipped"));

        (await agent.GetAsync($"console/requests/{undeliverable}")).Text.ShouldContain(
            "Text delivered : needs attention. Undeliverable: the carrier could not deliver it");
        (await agent.GetAsync($"console/requests/{undeliverable}")).Text.ShouldContain(
            "Check the number with the customer and resend to the right one, or send by email.");
        (await agent.GetAsync($"console/requests/{optedOut}")).Text.ShouldContain(
            "Text sent : needs attention. Not sent: the customer has opted out of your text messages");
    }

    [Fact]
    public async Task The_list_pages_25_at_a_time_and_its_next_page_keeps_the_filters()
    {
        var (merchant, _, agent) = await AgentAsync();
        for (var i = 0; i < 27; i++)
        {
            (await merchant.CreateAsync(Requests.ValidCreate($"PAGE-{i:D2}").With("customer.lastName", "Pager"))).EnsureSuccessStatusCode();
        }

        var first = await agent.GetAsync("console/requests?name=pager");
        System.Text.RegularExpressions.Regex.Matches(first.Html, "<tr>").Count.ShouldBe(26); // the head's row and 25
        var next = System.Text.RegularExpressions.Regex.Match(first.Html, "href=\"(/console/requests\\?name=pager&amp;page=[^\"]+)\">Next page").Groups[1].Value;
        next.ShouldNotBeEmpty();
        var second = await agent.GetAsync(System.Net.WebUtility.HtmlDecode(next).TrimStart('/'));
        second.Text.ShouldContain("PAGE-00");
        second.Text.ShouldContain("PAGE-01");
        System.Text.RegularExpressions.Regex.Matches(second.Html, "<tr>").Count.ShouldBe(3);
        second.Html.ShouldNotContain("Next page");
    }
}
