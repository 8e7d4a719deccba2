using Microsoft.Playwright;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>What the console's browser tests do to a page: sign in, type into a field by keyboard, and take its screenshots.</summary>
public static class ConsoleScreens
{
    /// <summary>Where the screenshots land; the docs keep copies.</summary>
    public static readonly string Folder = Path.Combine(RepositoryRoot.Find(), "artifacts", "screenshots");

    public static Task<IBrowserContext> DesktopAsync(this IBrowser browser) =>
        browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });

    /// <summary>
    /// Screenshots at 1280×800 and (full page) 390×844, named <c>console-{name}-…</c>; and the page is checked to reflow
    /// at 320 CSS px.
    /// </summary>
    public static async Task ShotAsync(this IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, $"console-{name}-1280x800.png") });
        var size = page.ViewportSize!;
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, $"console-{name}-390x844.png"), FullPage = true });
        await page.SetViewportSizeAsync(320, 800);
        await page.ShouldReflowAsync(name);
        await page.SetViewportSizeAsync(size.Width, size.Height);
    }

    /// <summary>Tabs to the field and types into it, as a keyboard user does.</summary>
    public static async Task KeyInAsync(this IPage page, string selector, string text)
    {
        await page.TabToAsync(selector);
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(text);
    }

    /// <summary>Signs in with the development sign-in, by keyboard, and lands on the console's home.</summary>
    public static async Task SignInAsync(this IPage page, string baseUrl, string email)
    {
        await page.GotoAsync(baseUrl + "/console/dev/sign-in");
        await page.KeyInAsync("#email", email);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/console");
    }
}
