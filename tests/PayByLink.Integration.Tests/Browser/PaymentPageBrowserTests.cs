using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PayByLink.Integration.Tests.Carrier;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Browser;

/// <summary>
/// The customer's journey in headless Chromium at phone size against the local runtime: from the link in the SMS
/// in the outbox, through the test gateway, to the receipt. Screenshots land in artifacts/screenshots.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class PaymentPageBrowserTests(SuiteFixture suite) : IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(RepositoryRoot.Find(), "artifacts", "screenshots");
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext _phone = null!;

    public async Task InitializeAsync()
    {
        if (!Chromium.IsInstalled)
        {
            return; // each test skips itself, saying why
        }

        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
        _phone = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            JavaScriptEnabled = false,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _phone.DisposeAsync();
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    private async Task<(TestMerchant Merchant, string RequestId, string ShortLink)> CreateAndReadSmsAsync(System.Text.Json.Nodes.JsonObject body)
    {
        Chromium.Require();
        var merchant = await suite.NewMerchantAsync();
        var requestId = (await (await merchant.CreateAsync(body)).JsonAsync()).Str("requestId");
        var sms = (await suite.Outbox.ForRequestAsync(requestId, 2)).Single(m => m.Channel == "sms");
        return (merchant, requestId, Regex.Match(sms.Body, @"https?://\S+/l/[0-9A-Za-z]{10}").Value);
    }

    /// <summary>
    /// Each state the customer meets: axe-clean at WCAG 2.2 AA, fitting 320 CSS px, and in a screenshot. The pages run no
    /// script, and the customer's browser here runs none either, so axe checks the very same markup and stylesheet in a
    /// page of its own that may run it.
    /// </summary>
    private async Task ScreenshotAsync(IPage page, string name)
    {
        var origin = new Uri(page.Url).GetLeftPart(UriPartial.Authority);
        var html = (await page.ContentAsync()).Replace("<head>", $"<head><base href=\"{origin}/\">");
        await using (var axe = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = page.ViewportSize!.Width, Height = page.ViewportSize.Height } }))
        {
            var copy = await axe.NewPageAsync();
            await copy.SetContentAsync(html);
            await copy.ShouldHaveNoViolationsAsync(name);
        }

        var size = page.ViewportSize!;
        await page.SetViewportSizeAsync(320, 800);
        await page.ShouldReflowAsync(name);
        await page.SetViewportSizeAsync(size.Width, size.Height);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    private static async Task<string> StatusAsync(TestMerchant merchant, string requestId) =>
        (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{requestId}")).Str("status");

    [SkippableTheory]
    [InlineData("single")]
    [InlineData("instalment")]
    public async Task On_a_phone_s_first_screen_the_merchant_is_named_once_beside_the_amount_and_the_pay_button(string kind)
    {
        var body = Requests.ValidCreate().With("passphrase", "blue heron");
        if (kind == "instalment")
        {
            body = body.With("amount", 300m).With("repaymentPlan", new System.Text.Json.Nodes.JsonObject
            {
                ["instalments"] = 6, ["frequency"] = "monthly", ["firstPaymentDate"] = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).ToString("yyyy-MM-dd"),
            });
        }

        var (_, _, link) = await CreateAndReadSmsAsync(body);
        var page = await _phone.NewPageAsync();
        await page.GotoAsync(link);

        // Everything that shows within the first 844 px, as the customer sees it before scrolling.
        var firstScreen = await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('main *')]
                .filter(e => e.children.length === 0 && e.getBoundingClientRect().bottom <= window.innerHeight)
                .map(e => e.innerText).join('\n')
            """);
        Regex.Matches(firstScreen, "Acme Energy").Count.ShouldBe(1, firstScreen);
        var amount = kind == "single" ? "£120.50" : "£50.00";
        var pay = page.GetByRole(AriaRole.Button, new() { Name = $"Pay {amount} securely" });
        (await pay.BoundingBoxAsync())!.Y.ShouldBeLessThan(844 - (await pay.BoundingBoxAsync())!.Height, "the Pay button is on the first screen");
        (await page.Locator(".amount").InnerTextAsync()).ShouldBe(amount);
        (await page.Locator(".amount").BoundingBoxAsync())!.Y.ShouldBeLessThan(844);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"payment-page-{kind}-390x844.png") });
    }

    [SkippableFact]
    public async Task A_customer_opens_the_sms_link_sees_the_details_pays_and_gets_a_receipt()
    {
        var (merchant, requestId, link) = await CreateAndReadSmsAsync(Requests.ValidCreate().With("passphrase", "blue heron"));
        var page = await _phone.NewPageAsync();

        await page.GotoAsync(link);

        page.Url.ShouldContain("/pay/");
        var text = await page.InnerTextAsync("main");
        text.ShouldContain("Acme Energy");
        text.ShouldContain("£120.50");
        text.ShouldContain("Invoice 1001");
        text.ShouldContain("blue heron");
        text.ShouldContain("ACC-42");
        (await StatusAsync(merchant, requestId)).ShouldBe("Opened");
        await ScreenshotAsync(page, "1-payable");

        await page.GetByRole(AriaRole.Button, new() { Name = "Pay £120.50 securely" }).ClickAsync();
        (await page.InnerTextAsync("main")).ShouldContain("TEST PAYMENT GATEWAY");
        await ScreenshotAsync(page, "2-test-gateway");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve test payment of £120.50" }).ClickAsync();

        await page.GetByText("Payment received").WaitForAsync(new() { Timeout = 15_000 });
        (await page.InnerTextAsync("main")).ShouldContain("tgp_");
        await ScreenshotAsync(page, "3-receipt");
        (await StatusAsync(merchant, requestId)).ShouldBe("Paid");
    }

    [SkippableFact]
    public async Task A_declined_payment_brings_the_customer_back_to_pay_again()
    {
        var (merchant, requestId, link) = await CreateAndReadSmsAsync(Requests.ValidCreate());
        var page = await _phone.NewPageAsync();
        await page.GotoAsync(link);

        await page.GetByRole(AriaRole.Button, new() { Name = "Pay £120.50 securely" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Decline" }).ClickAsync();

        (await page.InnerTextAsync("main")).ShouldContain("Your payment did not go through and you have not been charged.");
        (await page.GetByRole(AriaRole.Button, new() { Name = "Pay £120.50 securely" }).IsVisibleAsync()).ShouldBeTrue();
        await ScreenshotAsync(page, "4-declined");
        (await StatusAsync(merchant, requestId)).ShouldBe("Opened");
    }

    [SkippableFact]
    public async Task Cancelled_and_expired_links_say_so_and_offer_no_payment()
    {
        var (merchant, cancelledId, cancelledLink) = await CreateAndReadSmsAsync(Requests.ValidCreate());
        await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{cancelledId}", new { status = "Cancelled" });
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var (_, _, expiringLink) = await CreateAndReadSmsAsync(Requests.ValidCreate().With("expiresAt", expiresAt.ToString("O")));
        var page = await _phone.NewPageAsync();

        await page.GotoAsync(cancelledLink);
        (await page.InnerTextAsync("main")).ShouldContain("This payment request has been cancelled");
        (await page.GetByRole(AriaRole.Button).CountAsync()).ShouldBe(0);
        await ScreenshotAsync(page, "5-cancelled");

        while (DateTimeOffset.UtcNow <= expiresAt)
        {
            await Task.Delay(100);
        }

        await page.GotoAsync(expiringLink);
        (await page.InnerTextAsync("main")).ShouldContain("This payment link has expired");
        (await page.GetByRole(AriaRole.Button).CountAsync()).ShouldBe(0);
        await ScreenshotAsync(page, "6-expired");
    }

    [SkippableFact]
    public async Task An_unknown_link_and_the_unsubscribe_pages_say_what_they_are_in_plain_words()
    {
        Chromium.Require();
        var merchant = await suite.NewMerchantAsync();
        var requestId = (await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");
        var email = (await suite.Outbox.ForRequestAsync(requestId, 2)).Single(m => m.Channel == "email");
        var page = await _phone.NewPageAsync();

        (await page.GotoAsync(suite.BaseUrl + "/l/Zz9Zz9Zz9Z"))!.Status.ShouldBe(404);
        (await page.InnerTextAsync("main")).ShouldContain("This payment link is not valid");
        await ScreenshotAsync(page, "8-not-found");

        await page.GotoAsync(Regex.Match(email.Unsubscribe!, @"https?://[^>,\s]+").Value);
        (await page.InnerTextAsync("main")).ShouldContain("Unsubscribe from these emails?");
        await ScreenshotAsync(page, "9-unsubscribe");
        await page.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe" }).ClickAsync();
        (await page.InnerTextAsync("main")).ShouldContain("You are unsubscribed");
        await ScreenshotAsync(page, "10-unsubscribed");
    }

    [SkippableFact]
    public async Task A_reason_holding_a_script_tag_is_shown_as_text_and_never_runs()
    {
        var (_, _, link) = await CreateAndReadSmsAsync(Requests.ValidCreate().With("reason", "<script>alert('pwned')</script>"));
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };

        await page.GotoAsync(link);

        (await page.InnerTextAsync("main")).ShouldContain("<script>alert('pwned')</script>");
        (await page.Locator("main script").CountAsync()).ShouldBe(0);
        dialogs.ShouldBe(0);
        await ScreenshotAsync(page, "7-script-as-text");
        await context.DisposeAsync();
    }

    [SkippableFact]
    public async Task The_outbox_and_a_plans_page_fit_a_phone_screen_without_scrolling_sideways()
    {
        var first = DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd");
        var (_, _, link) = await CreateAndReadSmsAsync(Requests.ValidCreate().With("amount", 1000m).With("repaymentPlan",
            new System.Text.Json.Nodes.JsonObject { ["instalments"] = 3, ["frequency"] = "monthly", ["firstPaymentDate"] = first }));
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync(suite.BaseUrl + "/dev/outbox");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "8-outbox.png") });

        await page.GotoAsync(link);
        (await page.InnerTextAsync("main")).ShouldContain("Plan total");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
        await ScreenshotAsync(page, "9-plan");
        await context.DisposeAsync();
    }

    [SkippableFact]
    public async Task The_outbox_shows_each_receipt_and_its_reply_box_texts_stop_to_the_sender_number_and_one_click_unsubscribe_works()
    {
        var mobile = PayByLink.Integration.Tests.Carrier.CarrierTestKit.NewMobile();
        var e164 = PayByLink.Integration.Tests.Carrier.CarrierTestKit.E164(mobile);
        var (merchant, requestId, _) = await CreateAndReadSmsAsync(Requests.ValidCreate(mobile: mobile));
        await RequestWaits.WaitForAsync(merchant, requestId,
            b => RequestWaits.HasDelivery(b, "sms", "Delivered"));
        var page = await _phone.NewPageAsync();

        await page.GotoAsync(suite.BaseUrl + $"/dev/outbox?requestId={requestId}");
        (await page.InnerTextAsync("body")).ShouldContain("Delivered");
        await page.FillAsync("input[name=from]", e164);
        await page.FillAsync("input[name=message]", "STOP");
        await page.ClickAsync("button[type=submit]");
        page.Url.ShouldEndWith("/dev/outbox");
        var stopped = await suite.Runtime.Services.GetRequiredService<PayByLink.Core.Delivery.IOptOutStore>()
            .FindStopAsync(PayByLink.Local.TableOutbox.SenderNumber, e164, CancellationToken.None);
        stopped.ShouldNotBeNull();

        // The email's unsubscribe link: the page asks, its button unsubscribes.
        var email = (await suite.Outbox.ForRequestAsync(requestId, 2)).Single(m => m.Channel == "email");
        await page.GotoAsync(email.Unsubscribe!.Trim('<', '>'));
        (await page.InnerTextAsync("main")).ShouldContain("Unsubscribe from these emails?");
        await page.ClickAsync("button[type=submit]");
        (await page.InnerTextAsync("main")).ShouldContain("You are unsubscribed");
        await ScreenshotAsync(page, "11-unsubscribed");
        await suite.TextAsync(e164, "START");
    }

    [SkippableFact]
    public async Task The_built_in_webhook_receiver_shows_each_event_as_text_with_its_signature_checked_on_a_phone_screen()
    {
        Chromium.Require();
        var merchant = await suite.NewMerchantAsync();
        (await merchant.Http.PostAsJsonAsync("api/v1/webhook-endpoints",
            new { url = suite.BaseUrl + "/dev/webhooks/receive", events = new[] { "payment_request.created" } })).EnsureSuccessStatusCode();
        var reference = "HOOK-<script>document.title='owned'</script>";
        await merchant.CreateAsync(Requests.ValidCreate(reference));
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();

        string text;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await page.GotoAsync(suite.BaseUrl + "/dev/webhooks");
            text = await page.InnerTextAsync("body");
        }
        while (!text.Contains(reference) && DateTime.UtcNow < deadline);

        text.ShouldContain(reference);
        text.ShouldContain("payment_request.created");
        (await page.InnerTextAsync("article:has-text('HOOK-') .valid")).ShouldBe("valid");
        (await page.TitleAsync()).ShouldBe("Webhooks · PayByLink local");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
        await ScreenshotAsync(page, "10-webhooks");
        await context.DisposeAsync();
    }
}
