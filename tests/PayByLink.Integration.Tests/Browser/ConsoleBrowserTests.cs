using System.Diagnostics;
using Microsoft.Playwright;
using PayByLink.Core.Staff;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Browser;

/// <summary>
/// The console in headless Chromium against the local runtime, as an agent uses it: keyboard only, from sign-in to a
/// link paid by the customer in another browser, the page updating itself; axe-clean at WCAG 2.2 AA in each state,
/// reflowing at 320 CSS px. Screenshots at 1280×800 and 390×844 land in artifacts/screenshots.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class ConsoleBrowserTests(SuiteFixture suite) : ChromiumTest
{
    [SkippableFact]
    public async Task An_agent_using_only_the_keyboard_sends_a_link_and_sees_it_paid_within_3_seconds_without_reloading()
    {
        Chromium.Require();
        var merchant = await suite.NewMerchantAsync();
        var email = await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Agent);
        await using var desktop = await Browser.DesktopAsync();
        var page = await desktop.NewPageAsync();

        await page.GotoAsync(suite.BaseUrl + "/console/requests/new");
        page.Url.ShouldContain("/console/dev/sign-in?returnUrl=%2Fconsole%2Frequests%2Fnew");
        await page.ShouldHaveNoViolationsAsync("sign-in");
        await page.KeyInAsync("#email", "nobody@example.com");
        await page.Keyboard.PressAsync("Enter");
        await page.GetByText("No merchant has a console user nobody@example.com").First.WaitForAsync();
        await page.ShouldHaveNoViolationsAsync("sign-in with an error");
        await page.KeyInAsync("#email", email);
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync("**/console/requests/new");
        await page.ShouldHaveNoViolationsAsync("the empty send form");
        await page.ShotAsync("send-form");
        await page.TabToAsync("button[value=preview]");
        await page.KeyInAsync("#amount", "");
        await page.TabToAsync("button[value=preview]");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#error-summary").WaitForAsync();
        (await page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("error-summary");
        await page.ShouldHaveNoViolationsAsync("the send form with errors");
        await page.ShotAsync("send-form-errors");

        await page.KeyInAsync("#amount", "120.50");
        await page.KeyInAsync("#accountReference", "ACC-42");
        await page.KeyInAsync("#reason", "Invoice 1001");
        await page.KeyInAsync("[id='customer.firstName']", "Jane");
        await page.KeyInAsync("[id='customer.lastName']", "Smith");
        await page.KeyInAsync("[id='customer.mobileNumber']", "07700 900123");
        await page.TabToAsync("[id='channels.email']");
        await page.Keyboard.PressAsync("Space"); // by text only: no email address was given
        await page.TabToAsync("button[value=preview]");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#preview").WaitForAsync();
        (await page.Locator("#preview").InnerTextAsync()).ShouldContain("GSM-7, 1 segment");
        await page.ShouldHaveNoViolationsAsync("the preview");
        await page.ShotAsync("send-preview");

        await page.TabToAsync("button[value=send]");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/console/requests/pr_*");
        await page.Locator(".step-done >> text=Text delivered").WaitForAsync(new() { Timeout = 15_000 });
        await page.ShouldHaveNoViolationsAsync("the request, sent and updating itself");
        await page.ShotAsync("request-sent");

        // The customer pays on their phone, in another browser.
        var link = await page.Locator("#link").InputValueAsync();
        await using var phone = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var customer = await phone.NewPageAsync();
        await customer.GotoAsync(link);
        await customer.GetByRole(AriaRole.Button, new() { Name = "Pay £120.50 securely" }).ClickAsync();
        await customer.GetByRole(AriaRole.Button, new() { Name = "Approve test payment of £120.50" }).ClickAsync();
        await customer.GetByText("Payment received").WaitForAsync(new() { Timeout = 15_000 });
        var paid = Stopwatch.StartNew();

        await page.Locator("#progress .status-paid").WaitForAsync(new() { Timeout = 3_000 });
        paid.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3));
        (await page.Locator("#live").TextContentAsync())!.ShouldContain("Paid: this request is closed");
        (await page.Locator("#progress").GetAttributeAsync("data-final")).ShouldBe("true");
        await page.ShouldHaveNoViolationsAsync("the request, paid");
        await page.ShotAsync("request-paid");

        await page.GotoAsync(suite.BaseUrl + "/console/requests?mine=1");
        (await page.Locator("tbody tr").CountAsync()).ShouldBe(1);
        await page.ShouldHaveNoViolationsAsync("my links today");
        await page.ShotAsync("requests");
    }

    [SkippableFact]
    public async Task The_home_the_empty_list_and_the_403_and_404_pages_are_axe_clean_and_reflow()
    {
        Chromium.Require();
        var merchant = await suite.NewMerchantAsync();
        var viewer = await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Viewer);
        await using var desktop = await Browser.DesktopAsync();
        var page = await desktop.NewPageAsync();
        await page.GotoAsync(suite.BaseUrl + "/console/dev/sign-in");
        await page.FillAsync("#email", viewer);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/console");

        foreach (var (path, state, status) in new[]
                 {
                     ("/console", "home", 200), ("/console/requests?status=Paid", "the empty list", 200),
                     ("/console/requests/new", "403 for a viewer", 403), ("/console/requests/pr_none", "404", 404),
                     ("/console/requests?amount=x", "the list with an error", 400), ("/console/sign-out", "sign out", 200),
                 })
        {
            var response = await page.GotoAsync(suite.BaseUrl + path);
            response!.Status.ShouldBe(status, path);
            await page.ShouldHaveNoViolationsAsync(state);
            await page.SetViewportSizeAsync(320, 800);
            await page.ShouldReflowAsync(state);
            await page.SetViewportSizeAsync(1280, 800);
        }

        await page.GotoAsync(suite.BaseUrl + "/console");
        await page.ShotAsync("home");
    }

    [SkippableFact]
    public async Task The_batch_users_and_opt_out_pages_are_axe_clean_and_reflow()
    {
        Chromium.Require();
        var merchant = await suite.NewMerchantAsync();
        var admin = await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Admin);
        var batchId = await merchant.StartAndUploadAsync(BatchFiles.Csv(BatchFiles.Header, BatchFiles.Line(BatchFiles.NewRef()),
            BatchFiles.Line(BatchFiles.NewRef(), amount: "12.345")));
        await merchant.WaitForFinishAsync(batchId);
        await using var desktop = await Browser.DesktopAsync();
        var page = await desktop.NewPageAsync();
        await page.GotoAsync(suite.BaseUrl + "/console/dev/sign-in");
        await page.FillAsync("#email", admin);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/console");

        foreach (var (path, name) in new[]
                 {
                     ("/console/batches", "batches"), ($"/console/batches/{batchId}", "batch"), ("/console/admin/users", "users"),
                     ("/console/dashboard?days=30", "dashboard"), ("/console/admin/keys", "keys"), ("/console/admin/webhooks", "webhooks"),
                     ("/console/admin/settings", "settings"), ("/console/admin/audit", "audit"), ("/console/admin/opt-outs", "opt-outs"),
                 })
        {
            (await page.GotoAsync(suite.BaseUrl + path))!.Status.ShouldBe(200, path);
            await page.ShouldHaveNoViolationsAsync(name);
            await page.ShotAsync(name);
        }

        await page.FillAsync("#recipient", "12");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#error-summary").WaitForAsync();
        await page.ShouldHaveNoViolationsAsync("opt-outs with an error");
    }
}
