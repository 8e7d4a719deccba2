using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;
using PayByLink.Core.Staff;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Browser;

/// <summary>
/// An operator runs a batch in the console in headless Chromium: a 1,000-line file with bad lines and opted-out
/// customers goes straight to storage from the browser, its check matches the file, it is confirmed and watched to
/// completion without a reload, and its failed records are downloaded, fixed and uploaded again. Each state is
/// axe-clean at WCAG 2.2 AA and reflows at 320 CSS px. It has a runtime and storage of its own: a thousand sends are
/// timed against nothing else's queues.
/// </summary>
public sealed class ConsoleBatchBrowserTests(SuiteFixture suite) : ChromiumTest, IClassFixture<SuiteFixture>
{
    [SkippableFact]
    public async Task An_operator_uploads_a_1000_line_file_checks_it_sends_it_watches_it_finish_and_sends_its_fixed_failures()
    {
        Chromium.Require();
        var merchant = await suite.NewMerchantAsync();
        foreach (var mobile in new[] { "07700 900801", "07700 900802" })
        {
            (await merchant.Http.PostAsJsonAsync("api/v1/opt-outs", new { mobileNumber = mobile })).EnsureSuccessStatusCode();
        }

        // 1,000 lines: every 50th has a bad amount (20), every 100th from the 8th a bad mobile (10), two are opted out.
        var lines = Enumerable.Range(0, 1000).Select(i =>
            i % 50 == 0 ? BatchFiles.Line(BatchFiles.NewRef(), amount: "12.345")
            : i % 100 == 7 ? BatchFiles.Line(BatchFiles.NewRef(), mobile: "12345")
            : i is 3 or 4 ? BatchFiles.Line(BatchFiles.NewRef(), mobile: i == 3 ? "07700 900801" : "07700 900802")
            : BatchFiles.Line(BatchFiles.NewRef()));
        var file = Path.Combine(Path.GetTempPath(), $"april-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(file, BatchFiles.Csv([BatchFiles.Header, .. lines]));

        await using var desktop = await Browser.DesktopAsync();
        var page = await desktop.NewPageAsync();
        await page.SignInAsync(suite.BaseUrl, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Operator));
        await page.GotoAsync(suite.BaseUrl + "/console/batches/new");
        await page.ShouldHaveNoViolationsAsync("upload form");
        await page.ShotAsync("batch-upload");

        // Refused before a byte is sent: not a CSV.
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "april.xlsx", MimeType = "application/octet-stream", Buffer = [1, 2, 3] });
        await page.TabToAsync("#upload-form button[type=submit]");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#file-error:not([hidden])").WaitForAsync();
        (await page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("file");
        await page.ShouldHaveNoViolationsAsync("upload form with an error");

        await page.SetInputFilesAsync("#file", file);
        await page.TabToAsync("#upload-form button[type=submit]");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/console/batches/b*", new() { Timeout = 30_000 });
        await page.Locator("#review-heading").WaitForAsync(new() { Timeout = 60_000 });

        var review = await page.Locator("#progress").InnerTextAsync();
        review.ShouldContain("Lines in the file\n1000");
        review.ShouldContain("Will be sent\n968");
        review.ShouldContain("Texts\n968");
        review.ShouldContain("Will fail\n32");
        review.ShouldContain("2 lines ask for a text to a number on the opt-out list");
        review.ShouldContain("2, 52, 102"); // line numbers of the bad amounts: the header is line 1
        await page.ShouldHaveNoViolationsAsync("the check before sending");
        await page.ShotAsync("batch-review");
        var failing = await DownloadAsync(page, "a[href$='failed-records.csv']");
        failing.Length.ShouldBe(31, "the header and the 30 lines that fail the rules");

        var batchUrl = page.Url;
        await page.TabToAsync("button:has-text('Send 968 lines')");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator(".status-line:has-text('running')").WaitForAsync(new() { Timeout = 30_000 });
        await page.ShouldHaveNoViolationsAsync("the batch sending");
        await page.Locator(".status-line:has-text('finished')").WaitForAsync(new() { Timeout = 300_000 });
        page.Url.ShouldBe(batchUrl, "the page updated itself");
        (await page.Locator("#live").InnerTextAsync()).ShouldContain("finished");
        var counts = await page.Locator(".counts").InnerTextAsync();
        counts.ShouldContain("Sent\n968");
        counts.ShouldContain("Failed\n32");
        (await page.Locator("table:has(caption:text('The funnel, line by line'))").InnerTextAsync()).ShouldContain("Sent\t968");
        await page.ShouldHaveNoViolationsAsync("the batch finished");
        await page.ShotAsync("batch-finished");

        // Fix the failed records and upload them again: the opted-out customers are left out.
        var failed = await DownloadAsync(page, "a[href$='failed-records.csv']");
        failed.Length.ShouldBe(33);
        var fixedLines = failed.Skip(1).Where(l => !l.Contains("No channel could deliver", StringComparison.Ordinal))
            .Select(l => l.Replace(",12.345,", ",12.34,").Replace(",12345,", ",07700 900456,")).ToList();
        fixedLines.Count.ShouldBe(30);
        var fixedFile = Path.Combine(Path.GetTempPath(), $"april-fixed-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(fixedFile, string.Join("\r\n", fixedLines.Prepend(failed[0])) + "\r\n", new UTF8Encoding(false));
        await page.GotoAsync(suite.BaseUrl + "/console/batches/new");
        await page.SetInputFilesAsync("#file", fixedFile);
        await page.TabToAsync("#upload-form button[type=submit]");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#review-heading").WaitForAsync(new() { Timeout = 60_000 });
        (await page.Locator("#progress").InnerTextAsync()).ShouldContain("Will fail\n0");
        await page.TabToAsync("button:has-text('Send 30 lines')");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator(".status-line:has-text('finished')").WaitForAsync(new() { Timeout = 180_000 });
        (await page.Locator(".status").InnerTextAsync()).ShouldBe("Completed");
        (await page.Locator(".counts").InnerTextAsync()).ShouldContain("Sent\n30");
    }

    private static async Task<string[]> DownloadAsync(IPage page, string link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(link).First.ClickAsync());
        var path = await download.PathAsync();
        return (await File.ReadAllTextAsync(path!)).TrimEnd().Split("\r\n");
    }
}
