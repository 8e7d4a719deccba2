using System.Net;
using Microsoft.Playwright;
using PayByLink.Core.Staff;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Browser;

/// <summary>
/// An admin runs the account in headless Chromium, by keyboard: a key issued and copied works on the API and stops
/// when revoked; a webhook that fails twice shows its attempts and is sent again; the wording is previewed, refused
/// with its reasons, and saved. Each state is axe-clean at WCAG 2.2 AA and reflows at 320 CSS px.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class ConsoleAdminBrowserTests(SuiteFixture suite) : ChromiumTest
{
    [SkippableFact]
    public async Task An_admin_issues_and_revokes_a_key_runs_a_failing_webhook_and_sets_the_wording_by_keyboard()
    {
        Chromium.Require();
        var merchant = await suite.NewMerchantAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var answers = 0;
        receiver.Respond = _ => Task.FromResult(Interlocked.Increment(ref answers) <= 2 ? 503 : 200);
        await using var desktop = await Browser.DesktopAsync();
        await desktop.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = suite.BaseUrl });
        var page = await desktop.NewPageAsync();
        await page.SignInAsync(suite.BaseUrl, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Admin));

        // A key: issued, copied with its button, used, revoked after a confirmation.
        await page.GotoAsync(suite.BaseUrl + "/console/admin/keys");
        await page.TabToAsync("#keys button[type=submit]");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#new-key").WaitForAsync();
        await page.TabToAsync("button[data-copy=new-key]");
        await page.Keyboard.PressAsync("Enter");
        var key = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        key.ShouldBe(await page.Locator("#new-key").InputValueAsync());
        await page.ShouldHaveNoViolationsAsync("a key just issued");
        await page.ShotAsync("key-issued");
        var api = suite.ClientWithKey(key);
        (await api.GetAsync("api/v1/batches")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var keyId = PayByLink.Core.Merchants.ApiKeys.KeyId(PayByLink.Core.Merchants.ApiKeys.Hash(key));
        await page.TabToAsync($"a[href='/console/admin/keys/{keyId}/revoke']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/revoke");
        await page.ShouldHaveNoViolationsAsync("revoke a key?");
        await page.TabToAsync("button.danger");
        await page.Keyboard.PressAsync("Enter");
        await page.GetByText("The key is revoked").WaitForAsync();
        (await api.GetAsync("api/v1/batches")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // A webhook: registered, failing twice, its attempts shown, sent again.
        await page.GotoAsync(suite.BaseUrl + "/console/admin/webhooks");
        await page.KeyInAsync("#url", receiver.Url);
        await page.TabToAsync("[id='event-payment_request-created']");
        await page.Keyboard.PressAsync("Space");
        await page.TabToAsync("form.panel button[type=submit]");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#secret").WaitForAsync();
        await page.ShouldHaveNoViolationsAsync("a webhook just registered");
        var rotate = await page.Locator("form[action$='/rotate']").GetAttributeAsync("action");
        var endpointUrl = suite.BaseUrl + rotate![..^"/rotate".Length];
        (await merchant.CreateAsync(Requests.ValidCreate())).StatusCode.ShouldBe(HttpStatusCode.Created);
        await receiver.WaitForAsync(r => r.Any(w => w.Answered == 200));
        await page.GotoAsync(endpointUrl);
        await page.GetByText("Delivered after 3 attempts").WaitForAsync();
        (await page.Locator("section.delivery table").InnerTextAsync()).ShouldContain("HTTP 503");
        await page.ShouldHaveNoViolationsAsync("a webhook's deliveries");
        await page.ShotAsync("webhook-deliveries");
        await page.TabToAsync("section.delivery button");
        await page.Keyboard.PressAsync("Enter");
        await page.GetByText("The event is queued to be sent again").WaitForAsync();
        await receiver.WaitForAsync(r => r.Count(w => w.Answered == 200) == 2);

        // The wording: refused with its reasons, previewed with its segments, saved.
        await page.GotoAsync(suite.BaseUrl + "/console/admin/settings");
        await page.KeyInAsync("#smsTemplate", "Pay {amount} {nickname}");
        await page.TabToAsync("button[value=preview]");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#error-summary").WaitForAsync();
        (await page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("error-summary");
        await page.ShouldHaveNoViolationsAsync("settings with errors");
        await page.KeyInAsync("#smsTemplate", "{merchant}: please pay {amount} for {reason}: {link}");
        await page.TabToAsync("button[value=preview]");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#preview").WaitForAsync();
        (await page.Locator("#preview").InnerTextAsync()).ShouldContain("1 segment");
        await page.ShouldHaveNoViolationsAsync("settings previewed");
        await page.ShotAsync("settings-preview");
        await page.TabToAsync("button[value=save]");
        await page.Keyboard.PressAsync("Enter");
        await page.GetByText("The settings are saved").WaitForAsync();
    }
}
