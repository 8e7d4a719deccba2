using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Local;

/// <summary>
/// The local runtime as a user starts it: its own process, finding or starting Azurite by itself. The request
/// it prints and the README's walkthrough are run as written, with curl.
/// </summary>
public sealed class LocalRuntimeProcessTests : IAsyncLifetime
{
    private readonly StringBuilder _output = new();
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "paybylink-runtime-" + Guid.NewGuid().ToString("N"));
    private Process _process = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        // A free port can be taken by another test's server before this process binds it: try again on another.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3 && Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                _process.Dispose();
                lock (_output)
                {
                    _output.Clear();
                }
            }
        }
    }

    private async Task StartAsync()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(RepositoryRoot.Find(), "functions", "PayByLink.Local", "bin", configuration, "net10.0", "PayByLink.Local.dll");
        _baseUrl = $"http://127.0.0.1:{Azurite.FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Find(),
        };
        // Its own data folder, so it starts an Azurite of its own on free ports and leaves the repository's .azurite/ alone.
        foreach (var argument in new[] { dll, "--urls", _baseUrl, $"--{LocalStorage.DataFolderSetting}={_dataFolder}" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("PayByLinkStorage");
        start.Environment.Remove(DevelopmentMerchant.KeyVariable);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!Output.Contains("Press Ctrl+C to stop"))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The local runtime did not start:\n" + Output);
            }

            await Task.Delay(100);
        }
    }

    private string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    private string Key => Regex.Match(Output, @"Key\s+(\S+)").Groups[1].Value;

    [Fact]
    public void It_prints_the_development_merchant_its_key_and_where_everything_is()
    {
        Output.ShouldContain($"API            {_baseUrl}/api/v1");
        Output.ShouldContain($"API reference  {_baseUrl}/scalar");
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
        stdout.ShouldContain("\"shortUrl\":\"" + _baseUrl + "/l/");
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
            .Replace("http://localhost:7071", _baseUrl);
        return await BashAsync(script, "set -euo pipefail\n");
    }

    [Fact]
    public async Task The_readme_batch_walkthrough_works_as_written()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "README.md"));
        var block = Regex.Match(readme, @"<!-- batch-walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- batch-walkthrough:end -->").Groups[1].Value;
        block.ShouldNotBeEmpty();
        var script = block.Replace("http://localhost:7071", _baseUrl);

        var (exitCode, stdout) = await BashAsync(script, $"set -euo pipefail\nexport PAYBYLINK_KEY='{Key}'\n");

        exitCode.ShouldBe(0, stdout);
        var lines = stdout.Split("\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        lines.Length.ShouldBe(3, stdout);
        lines[0].ShouldContain("\"status\":\"CompletedWithErrors\"");
        lines[0].ShouldContain("\"totalRecords\":2,\"accepted\":0,\"sent\":1,\"failed\":1,\"pending\":0");
        lines[1].ShouldBe("ClientTransactionRef,Amount,AccountReference,Reason,FirstName,LastName,MobileNumber,Error");
        lines[2].ShouldBe("MAR-2,12.345,ACC-8,March rent,Bob,Ray,07700 900202,amount: amount must have at most 2 decimal places for GBP.");
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
        if (!_process.HasExited)
        {
            // Ctrl+C, so the runtime stops the Azurite it started.
            using var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString()]);
            await interrupt.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        if (Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }
}
