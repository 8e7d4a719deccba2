using System.Net;
using PayByLink.Core.Staff;
using PayByLink.Integration.Tests.Carrier;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Console;

/// <summary>An admin keeps the merchant's opt-out list in the console, by the API's own rules.</summary>
[Collection(SuiteCollection.Name)]
public sealed class ConsoleOptOutTests(SuiteFixture suite)
{
    [Fact]
    public async Task An_admin_adds_finds_exports_and_takes_off_an_entry_but_never_a_customer_s_own_unsubscribe()
    {
        var merchant = await suite.NewMerchantAsync();
        using var admin = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Admin));
        var mobile = CarrierTestKit.NewMobile();

        var added = await admin.SubmitAsync("console/admin/opt-outs", "console/admin/opt-outs", new() { ["recipient"] = mobile });
        added.Location.ShouldBe("/console/admin/opt-outs?done=added");
        var optedOut = (await (await merchant.CreateAsync(Requests.ValidCreate(mobile: mobile).Without("customer.email"))).JsonAsync()).Str("requestId");
        (await merchant.WaitForAsync(optedOut, r => r.HasDelivery("sms", "Skipped"))).Delivery("sms").Str("errorCode").ShouldBe("opted_out");

        var found = await admin.GetAsync($"console/admin/opt-outs?find={Uri.EscapeDataString(mobile)}");
        found.Text.ShouldContain(CarrierTestKit.E164(mobile));
        found.Text.ShouldContain("Added by you");
        var csv = await admin.GetAsync("console/admin/opt-outs.csv");
        csv.ContentType.ShouldBe("text/csv");
        csv.Html.ShouldContain($"sms,'{CarrierTestKit.E164(mobile)},merchant,"); // a leading + is written formula-safe

        var bad = await admin.SubmitAsync("console/admin/opt-outs", "console/admin/opt-outs", new() { ["recipient"] = "12" });
        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        bad.Html.ShouldContain("<a href=\"#recipient\">");

        var removed = await admin.SubmitAsync("console/admin/opt-outs", "console/admin/opt-outs/remove", new() { ["recipient"] = CarrierTestKit.E164(mobile) });
        removed.Location.ShouldBe("/console/admin/opt-outs?done=removed");
        (await admin.GetAsync($"console/admin/opt-outs?find={Uri.EscapeDataString(mobile)}")).Text.ShouldContain("is not on the list");

        // A customer's own one-click unsubscribe stays.
        var emailed = (await (await merchant.CreateAsync(Requests.ValidCreate().Without("customer.mobileNumber").With("customer.email", "leaver@example.com"))).JsonAsync()).Str("requestId");
        var message = (await suite.Outbox.ForRequestAsync(emailed, 1)).Single();
        using var unsubscribe = new HttpClient();
        (await unsubscribe.PostAsync(System.Text.RegularExpressions.Regex.Match(message.Unsubscribe!, @"https?://[^>,\s]+").Value,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }))).EnsureSuccessStatusCode();
        (await admin.GetAsync("console/admin/opt-outs?find=LEAVER%40EXAMPLE.COM")).Text.ShouldContain("The customer unsubscribed");
        var refused = await admin.SubmitAsync("console/admin/opt-outs", "console/admin/opt-outs/remove", new() { ["recipient"] = "leaver@example.com" });
        refused.Status.ShouldBe(HttpStatusCode.BadRequest);
        refused.Text.ShouldContain("leaver@example.com unsubscribed with one click: it cannot be taken off.");
    }

    [Fact]
    public async Task Only_an_admin_reaches_the_opt_out_list()
    {
        var merchant = await suite.NewMerchantAsync();
        using var operatorBrowser = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Operator));
        (await operatorBrowser.GetAsync("console/admin/opt-outs")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await operatorBrowser.GetAsync("console/admin/opt-outs.csv")).Status.ShouldBe(HttpStatusCode.Forbidden);
    }
}
