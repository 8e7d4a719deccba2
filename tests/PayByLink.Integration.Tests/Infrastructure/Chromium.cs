using Microsoft.Playwright;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, driven by Playwright. Where it is not installed the browser tests report themselves skipped
/// with the install line, except under CI=true, where a missing browser is a failure.
/// </summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";
    private const string Missing = "Browser tests need Chromium: apt-get install -y chromium (.ci/run installs it).";

    public static bool IsInstalled => File.Exists(Path);

    /// <summary>Skips the calling test where Chromium is missing (fails it under CI).</summary>
    public static void Require()
    {
        if (IsInstalled)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(Missing);
        }

        throw new SkipException(Missing);
    }

    /// <summary>Headless, with the flags that keep it off the network it cannot reach here.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
}
