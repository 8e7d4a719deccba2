using Microsoft.Playwright;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>A test class with headless Chromium started for it, when Chromium is installed (each test skips itself, saying why, when not).</summary>
public abstract class ChromiumTest : IAsyncLifetime
{
    private IPlaywright? _playwright;

    protected IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Chromium.IsInstalled)
        {
            _playwright = await Playwright.CreateAsync();
            Browser = await Chromium.LaunchAsync(_playwright);
        }
    }

    public async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
        }
    }
}
