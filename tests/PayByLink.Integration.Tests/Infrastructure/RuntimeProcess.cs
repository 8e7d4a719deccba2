using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>
/// The local runtime as a user runs it: its own process, on a free port, with the given settings. It can be stopped
/// the way a user stops it (a signal) or killed outright (SIGKILL), as a crash would.
/// </summary>
public sealed class RuntimeProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process _process = null!;

    private RuntimeProcess(string baseUrl) => BaseUrl = baseUrl;

    public string BaseUrl { get; }

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <summary>The development merchant's key, from the banner.</summary>
    public string Key => Regex.Match(Output, @"Key\s+(\S+)").Groups[1].Value;

    /// <summary>An HTTP client for the API that sends the development merchant's key.</summary>
    public HttpClient Client() => new()
    {
        BaseAddress = new Uri(BaseUrl + "/"),
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { { PayByLink.Http.MerchantAuthentication.KeyHeader, Key } },
    };

    /// <summary>
    /// Settings for a runtime under load: the fault tests fire hundreds of calls at once with the development merchant's
    /// key, far past the default rate of 50 a second, and what they count is what storage and the runtime lose, not 429s.
    /// </summary>
    public const string LoadRateSetting = "--Limits:RequestsPerSecond=100000", LoadBurstSetting = "--Limits:Burst=100000";

    /// <summary>Starts it and waits for its banner; a port taken meanwhile by another test is tried again on another.</summary>
    public static async Task<RuntimeProcess> StartAsync(params string[] settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            var runtime = new RuntimeProcess($"http://127.0.0.1:{Azurite.FreePort()}");
            try
            {
                await runtime.LaunchAsync(settings);
                return runtime;
            }
            catch (InvalidOperationException) when (attempt < 3 && runtime.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await runtime.DisposeAsync();
            }
        }
    }

    /// <summary>The runtime's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The program as a user runs it, with these arguments (and environment), to its end: its exit code and what it wrote.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(string[] arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = Program(arguments);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"It did not exit:\n{await output}\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    private static ProcessStartInfo Program(IEnumerable<string> arguments)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(RepositoryRoot.Find(), "functions", "PayByLink.Local", "bin", configuration, "net10.0", "PayByLink.Local.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Find(),
        };
        foreach (var argument in arguments.Prepend(dll))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("PayByLinkStorage");
        start.Environment.Remove(DevelopmentMerchant.KeyVariable);
        return start;
    }

    private async Task LaunchAsync(string[] settings)
    {
        _process = Process.Start(Program(new[] { "--urls", BaseUrl }.Concat(settings)))!;
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

    /// <summary>SIGKILL: the process ends at once, mid-request, as in a crash. An Azurite it started itself is left running.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>Stops it with a signal (INT as Ctrl+C, TERM as a service manager) and waits for it to finish.</summary>
    public async Task StopAsync(string signal = "INT")
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var send = Process.Start("kill", [$"-{signal}", _process.Id.ToString()]))
        {
            await send.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await StopAsync();
            _process.Dispose();
        }
    }
}
