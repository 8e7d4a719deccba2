using System.Net;
using System.Text.RegularExpressions;
using PayByLink.Core.Staff;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Console;

/// <summary>An admin runs the merchant's webhooks in the console over real HTTP, against a receiver on this machine.</summary>
[Collection(SuiteCollection.Name)]
public sealed class ConsoleWebhookTests(SuiteFixture suite)
{
    [Fact]
    public async Task An_endpoint_that_fails_twice_shows_each_attempt_and_an_event_sent_again_arrives_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var answers = 0;
        receiver.Respond = _ => Task.FromResult(Interlocked.Increment(ref answers) <= 2 ? 500 : 200);
        var merchant = await suite.NewMerchantAsync();
        using var admin = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Admin));

        var form = await admin.GetAsync("console/admin/webhooks");
        form.Text.ShouldContain("the runtime's own receiver takes events at");
        var registered = await admin.PostAsync("console/admin/webhooks", ConsoleClient.Token(form.Html), new()
        {
            ["url"] = receiver.Url, ["events"] = "payment_request.created", ["description"] = "Our receiver",
        });
        registered.Status.ShouldBe(HttpStatusCode.OK);
        registered.Text.ShouldContain("it is shown only this once");
        var secret = Regex.Match(registered.Html, "id=\"secret\" type=\"text\" readonly value=\"([^\"]+)\"").Groups[1].Value;
        secret.ShouldStartWith("whsec_");
        var endpointPath = Regex.Match(registered.Html, "action=\"(/console/admin/webhooks/[^/\"]+)/rotate\"").Groups[1].Value.TrimStart('/');

        (await merchant.CreateAsync(Requests.ValidCreate())).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await receiver.WaitForAsync(r => r.Any(w => w.Answered == 200))).Count.ShouldBe(3);
        var page = await admin.WaitForTextAsync(endpointPath, "Delivered after 3 attempts");
        page.Text.ShouldNotContain(secret, customMessage: "the secret is shown once");
        Regex.Matches(page.Text, "HTTP 500").Count.ShouldBe(2);
        Regex.Matches(page.Text, "HTTP 200").Count.ShouldBe(1);
        page.Html.ShouldContain(" ms</td>");

        var again = await admin.PostAsync(endpointPath + "/redeliver", ConsoleClient.Token(page.Html),
            new() { ["eventId"] = Regex.Match(page.Html, "name=\"eventId\" value=\"([^\"]+)\"").Groups[1].Value });
        again.Status.ShouldBe(HttpStatusCode.Redirect);
        (await receiver.WaitForAsync(r => r.Count(w => w.Answered == 200) == 2)).Count.ShouldBe(4);
        (await admin.WaitForTextAsync(endpointPath, "Delivered after 4 attempts")).Text.ShouldContain("Delivered after 4 attempts");

        var rotated = await admin.PostAsync(endpointPath + "/rotate", ConsoleClient.Token(page.Html), []);
        rotated.Text.ShouldContain("The secret is rotated");
        Regex.Match(rotated.Html, "id=\"secret\" type=\"text\" readonly value=\"([^\"]+)\"").Groups[1].Value.ShouldNotBe(secret);
        (await admin.PostAsync(endpointPath + "/disable", ConsoleClient.Token(page.Html), [])).Status.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetAsync(endpointPath)).Text.ShouldContain("Disabled");
        (await admin.GetAsync("console/admin/webhooks")).Text.ShouldContain("Disabled");
        (await admin.PostAsync(endpointPath + "/enable", ConsoleClient.Token(page.Html), [])).Status.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetAsync(endpointPath + "?done=enable")).Text.ShouldContain("The endpoint is enabled");
    }

    [Fact]
    public async Task A_bad_url_is_refused_beside_its_field_and_only_admins_reach_webhooks()
    {
        var merchant = await suite.NewMerchantAsync();
        var other = await suite.NewMerchantAsync();
        using var admin = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Admin));
        using var operatorBrowser = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Operator));
        using var theirAdmin = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, other.Merchant.Id, StaffRole.Admin));
        var theirs = await theirAdmin.SubmitAsync("console/admin/webhooks", "console/admin/webhooks", new() { ["url"] = "https://hooks.example.com/in" });
        var theirPath = Regex.Match(theirs.Html, "action=\"(/console/admin/webhooks/[^/\"]+)/rotate\"").Groups[1].Value.TrimStart('/');

        var bad = await admin.SubmitAsync("console/admin/webhooks", "console/admin/webhooks", new() { ["url"] = "ftp://example.com" });
        bad.Status.ShouldBe(HttpStatusCode.BadRequest);
        bad.Html.ShouldContain("href=\"#url\"");
        bad.Html.ShouldContain("value=\"ftp://example.com\"");
        (await operatorBrowser.GetAsync("console/admin/webhooks")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetAsync(theirPath)).Status.ShouldBe(HttpStatusCode.NotFound);
        var token = ConsoleClient.Token((await admin.GetAsync("console/admin/webhooks")).Html);
        (await admin.PostAsync(theirPath + "/disable", token, [])).Status.ShouldBe(HttpStatusCode.NotFound);
        (await admin.PostAsync(theirPath + "/rotate", token, [])).Status.ShouldBe(HttpStatusCode.NotFound);
    }
}
