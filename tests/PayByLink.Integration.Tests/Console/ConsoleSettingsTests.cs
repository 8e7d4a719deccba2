using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayByLink.Core.Staff;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Console;

/// <summary>
/// An admin sets the wording, quiet hours and default reminders in the console over real HTTP; the links sent from then
/// on use them. Every change, sign-in and export is in the audit, filtered and exported.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class ConsoleSettingsTests(SuiteFixture suite)
{
    private static Dictionary<string, string> Settings(string action, string sms = "{merchant}: hi {name}, {amount} is due for {reason}. Pay: {link}",
        string quietFrom = "20:00") => new()
    {
        ["action"] = action, ["displayName"] = "Acme Water", ["timeZone"] = "Europe/London", ["quietFrom"] = quietFrom, ["quietUntil"] = "09:00",
        ["remindEveryDays"] = "3", ["remindMax"] = "2", ["smsTemplate"] = sms, ["emailIntro"] = "{merchant} asks you to pay {amount}, {name}.",
    };

    [Fact]
    public async Task The_wording_is_previewed_with_its_segments_saved_and_used_by_the_apis_next_link_with_the_default_reminders()
    {
        var merchant = await suite.NewMerchantAsync();
        using var admin = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Admin));

        var page = await admin.GetAsync("console/admin/settings");
        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Text.ShouldContain("Texts a day 20,000");
        page.Html.ShouldContain("value=\"21:00\"");

        var previewed = await admin.PostAsync("console/admin/settings", ConsoleClient.Token(page.Html), Settings("preview"));
        previewed.Status.ShouldBe(HttpStatusCode.OK);
        previewed.Text.ShouldContain("Acme Water: hi Jane, £120.50 is due for Invoice 1001. Pay: ");
        previewed.Text.ShouldContain("GSM-7, 1 segment");
        previewed.Text.ShouldContain("Acme Water asks you to pay £120.50, Jane.");
        var bad = await admin.PostAsync("console/admin/settings", ConsoleClient.Token(page.Html),
            Settings("save", sms: "Pay {amount} now {nickname}", quietFrom: "9pm"));
        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        bad.Text.ShouldContain("{nickname} is not a placeholder");
        bad.Text.ShouldContain("The text must include {link}");
        bad.Text.ShouldContain("Give a time as HH:mm");
        (await admin.GetAsync("console/admin/settings")).Html.ShouldContain("value=\"21:00\"", customMessage: "nothing saved from a refused form");

        var saved = await admin.PostAsync("console/admin/settings", ConsoleClient.Token(page.Html), Settings("save"));
        saved.Status.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetAsync("console/admin/settings?done=saved")).Text.ShouldContain("The settings are saved");

        var created = await merchant.CreateAsync(Requests.ValidCreate(amount: 42.00m));
        var request = await created.JsonAsync();
        request.GetProperty("reminders").Int("everyDays").ShouldBe(3);
        var messages = await suite.Outbox.ForRequestAsync(request.Str("requestId"), 2);
        messages.Single(m => m.Channel == "sms").Body.ShouldStartWith("Acme Water: hi Jane, £42.00 is due for Invoice 1001. Pay: ");
        messages.Single(m => m.Channel == "email").Body.ShouldContain("Acme Water asks you to pay £42.00, Jane.");
    }

    [Fact]
    public async Task The_audit_shows_who_signed_in_issued_a_key_added_a_user_and_exported_filtered_and_as_csv()
    {
        var merchant = await suite.NewMerchantAsync();
        var email = await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Admin);
        using var admin = await ConsoleClient.SignedInAsync(suite, email);
        await admin.SubmitAsync("console/admin/keys", "console/admin/keys", []);
        await admin.SubmitAsync("console/admin/users", "console/admin/users", new() { ["email"] = "new.agent@example.com", ["role"] = "agent" });
        (await admin.GetAsync("console/admin/opt-outs.csv")).Status.ShouldBe(HttpStatusCode.OK);

        var audit = await admin.GetAsync("console/admin/audit");
        audit.Status.ShouldBe(HttpStatusCode.OK);
        foreach (var action in new[] { "console.signed_in", "key.issued", "user.added", "export" })
        {
            audit.Text.ShouldContain(action);
        }

        audit.Text.ShouldContain("new.agent@example.com");
        var keys = await admin.GetAsync("console/admin/audit?area=key");
        keys.Text.ShouldContain("key.issued");
        keys.Text.ShouldNotContain("user.added");
        (await admin.GetAsync($"console/admin/audit?who=someone-else")).Text.ShouldContain("Nothing in these days.");

        var csv = await admin.GetAsync("console/admin/audit.csv?area=user");
        csv.ContentType.ShouldBe("text/csv");
        var lines = csv.Html.TrimEnd().Split("\r\n");
        lines[0].ShouldBe("At,Who,Name,Action,Subject,Detail");
        lines.Skip(1).ShouldAllBe(l => l.Contains(",user.", StringComparison.Ordinal));
        lines.Length.ShouldBe(2);

        var otherMerchant = await suite.NewMerchantAsync();
        using var theirAdmin = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, otherMerchant.Merchant.Id, StaffRole.Admin));
        (await theirAdmin.GetAsync("console/admin/audit")).Text.ShouldNotContain("new.agent@example.com");
        using var viewer = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Viewer));
        (await viewer.GetAsync("console/admin/audit")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await viewer.GetAsync("console/admin/settings")).Status.ShouldBe(HttpStatusCode.Forbidden);
    }
}
