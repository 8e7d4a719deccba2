using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Local;

/// <summary>
/// The local runtime as a user starts it: its own process, finding or starting Azurite by itself. The request
/// it prints and the README's walkthrough are run as written, with curl.
/// </summary>
public sealed class LocalRuntimeProcessTests : IAsyncLifetime
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "paybylink-runtime-" + Guid.NewGuid().ToString("N"));
    private RuntimeProcess _runtime = null!;

    private string BaseUrl => _runtime.BaseUrl;

    private string Output => _runtime.Output;

    private string Key => _runtime.Key;

    // Its own data folder, so it starts an Azurite of its own on free ports and leaves the repository's .azurite/ alone.
    public async Task InitializeAsync() => _runtime = await RuntimeProcess.StartAsync($"--{LocalStorage.DataFolderSetting}={_dataFolder}");

    [Fact]
    public void It_prints_the_development_merchant_its_key_and_where_everything_is()
    {
        Output.ShouldContain($"API            {BaseUrl}/api/v1");
        Output.ShouldContain($"API reference  {BaseUrl}/scalar");
        Output.ShouldContain("Merchant       dev-merchant (Development Merchant)");
        Key.Length.ShouldBeGreaterThanOrEqualTo(20);
    }

    [Fact]
    public async Task The_printed_curl_command_creates_a_payment_request()
    {
        var curl = Regex.Match(Output, @"curl -s -X POST[\s\S]*?\}\}'").Value;

        var (exitCode, stdout) = await BashAsync(curl, "");

        exitCode.ShouldBe(0);
        stdout.ShouldContain("\"clientTransactionRef\":\"WELCOME-1\"");
        stdout.ShouldContain("\"shortUrl\":\"" + BaseUrl + "/l/");
    }

    [Fact]
    public async Task The_readme_walkthrough_works_as_written()
    {
        var (exitCode, stdout) = await RunWalkthroughAsync();

        exitCode.ShouldBe(0, stdout);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(4, stdout);
        var requestId = Regex.Match(lines[0], "\"requestId\":\"([^\"]+)\"").Groups[1].Value;
        requestId.ShouldStartWith("pr_");
        lines[1].ShouldContain($"\"requestId\":\"{requestId}\"");
        lines[2].ShouldContain($"\"requestId\":\"{requestId}\"");
        lines[3].ShouldContain("\"status\":\"Cancelled\"");
    }

    [Fact]
    public async Task The_printed_request_and_the_walkthrough_never_clash_in_either_order()
    {
        var curl = Regex.Match(Output, @"curl -s -X POST[\s\S]*?\}\}'").Value;

        var (_, first) = await BashAsync(curl, "");
        var (walkthroughExit, walkthrough) = await RunWalkthroughAsync();
        var (_, again) = await BashAsync(curl, "");

        first.ShouldContain("\"status\":\"Pending\"");
        walkthroughExit.ShouldBe(0, walkthrough);
        walkthrough.ShouldNotContain("duplicate-client-transaction-ref");
        walkthrough.ShouldContain("\"status\":\"Cancelled\"");
        again.ShouldContain(Regex.Match(first, "\"requestId\":\"[^\"]+\"").Value); // the same request, not a 409
    }

    private async Task<(int ExitCode, string Stdout)> RunWalkthroughAsync()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "README.md"));
        var block = Regex.Match(readme, @"<!-- walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- walkthrough:end -->").Groups[1].Value;
        block.ShouldNotBeEmpty();
        var script = block
            .Replace("export PAYBYLINK_KEY='pbl_…'", $"export PAYBYLINK_KEY='{Key}'")
            .Replace("http://localhost:7071", BaseUrl);
        return await BashAsync(script, "set -euo pipefail\n");
    }

    [Fact]
    public async Task The_readme_batch_walkthrough_works_as_written()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "README.md"));
        var block = Regex.Match(readme, @"<!-- batch-walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- batch-walkthrough:end -->").Groups[1].Value;
        block.ShouldNotBeEmpty();
        var script = block.Replace("http://localhost:7071", BaseUrl);

        var (exitCode, stdout) = await BashAsync(script, $"set -euo pipefail\nexport PAYBYLINK_KEY='{Key}'\n");

        exitCode.ShouldBe(0, stdout);
        var lines = stdout.Split("\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        lines.Length.ShouldBe(4, stdout);
        lines[0].ShouldContain("\"status\":\"CompletedWithErrors\"");
        lines[0].ShouldEndWith(readme.Split('\n').Single(l => l.StartsWith("{\"batchId\":\"b_…\"", StringComparison.Ordinal)).Split('…')[^1]);
        lines[1].ShouldBe("ClientTransactionRef,Amount,AccountReference,Reason,FirstName,LastName,MobileNumber,Error");
        lines[2].ShouldBe("MAR-2,12.345,ACC-8,March rent,Bob,Ray,07700 900202,amount: amount must have at most 2 decimal places for GBP.");
        lines[3].ShouldBe(readme.Split('\n').Single(l => l.StartsWith("{\"funnel\":")));
    }

    [Fact]
    public async Task The_readme_plan_and_reminders_walkthrough_prints_what_the_readme_says()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "README.md"));
        var block = Regex.Match(readme, @"<!-- plan-walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- plan-walkthrough:end -->").Groups[1].Value;
        block.ShouldNotBeEmpty();
        var printed = Regex.Match(readme, @"<!-- plan-walkthrough:end -->[\s\S]*?```\n([\s\S]*?)```").Groups[1].Value
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var (exitCode, stdout) = await BashAsync(block.Replace("http://localhost:7071", BaseUrl), $"set -euo pipefail\nexport PAYBYLINK_KEY='{Key}'\n");

        exitCode.ShouldBe(0, stdout);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(printed.Length, stdout);
        for (var i = 0; i < lines.Length; i++)
        {
            // "…" in the README stands for what differs from run to run (the dates).
            lines[i].ShouldMatch("^" + string.Join("[^\"]*", printed[i].Split('…').Select(Regex.Escape)) + "$");
        }
    }

    [Fact]
    public async Task The_readme_webhooks_walkthrough_and_its_signature_checks_work_as_written()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "README.md"));
        string Block(string pattern)
        {
            var block = Regex.Match(readme, pattern).Groups[1].Value;
            block.ShouldNotBeEmpty(pattern);
            return block;
        }

        var walkthrough = Block(@"<!-- webhooks-walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- webhooks-walkthrough:end -->")
            .Replace("http://localhost:7071", BaseUrl);

        var (exitCode, stdout) = await BashAsync(walkthrough, $"set -euo pipefail\nexport PAYBYLINK_KEY='{Key}'\n");

        exitCode.ShouldBe(0, stdout);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(3, stdout);
        var secret = Regex.Match(lines[0], "\"secret\":\"(whsec_[^\"]+)\"").Groups[1].Value;
        secret.ShouldNotBeEmpty(lines[0]);
        lines[1].ShouldBe("201");
        var received = System.Text.Json.JsonDocument.Parse(lines[2]).RootElement.EnumerateArray().ToList();
        received.ShouldContain(r => r.GetProperty("type").GetString() == "payment_request.created");
        received.ShouldAllBe(r => r.GetProperty("verdict").GetString() == "valid");

        // The two ways to check a signature, as printed, on what the receiver got.
        var webhook = received[0];
        var folder = Directory.CreateTempSubdirectory("paybylink-verify-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "body.json"), webhook.GetProperty("body").GetString(), new UTF8Encoding(false));
            await File.WriteAllTextAsync(Path.Combine(folder, "verify.cs"), Block(@"### Verify a signature in C#[\s\S]*?```csharp\n([\s\S]*?)```"));
            var shell = Block(@"### Verify a signature in shell[\s\S]*?```sh\n([\s\S]*?)```");
            var signature = webhook.GetProperty("signature").GetString()!;
            foreach (var (key, expected) in new[] { (secret, "valid"), ("whsec_not-the-secret", "invalid") })
            {
                var (shellExit, shellOut) = await BashAsync(shell, $"cd '{folder}'\nexport SECRET='{key}' SIGNATURE='{signature}'\n");
                shellExit.ShouldBe(0, shellOut);
                shellOut.Trim().ShouldBe(expected, shellOut);

                var (csharpExit, csharpOut) = await BashAsync($"cd '{folder}' && dotnet run verify.cs -- '{key}' '{signature}' body.json", "");
                csharpExit.ShouldBe(0, csharpOut);
                csharpOut.Trim().Split('\n')[^1].ShouldBe(expected, csharpOut);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Stdout)> BashAsync(string script, string preamble)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var bash = Process.Start(start)!;
        await bash.StandardInput.WriteAsync(preamble + script);
        bash.StandardInput.Close();
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        return (bash.ExitCode, await stdout + await stderr);
    }

    public async Task DisposeAsync()
    {
        // Ctrl+C, so the runtime stops the Azurite it started.
        await _runtime.DisposeAsync();
        if (Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }
}
