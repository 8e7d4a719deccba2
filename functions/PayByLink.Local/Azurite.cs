using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PayByLink.Local;

/// <summary>
/// Azurite, the storage emulator, run as a child process on 127.0.0.1. Installed from npm into
/// <c>.tools/azurite</c> the first time it is needed.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    /// <summary>Azurite's processes run in real time: their waits are on the system's clock, whatever a test's.</summary>
    private static readonly TimeProvider Clock = TimeProvider.System;

    public const string Version = "3.35.0";
    public const int DefaultBlobPort = 10000;
    public const int DefaultQueuePort = 10001;
    public const int DefaultTablePort = 10002;

    // Azurite's well-known development account; it exists only inside the emulator.
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly List<(string Service, Process Process)> _processes = [];
    private readonly List<(string Service, int Port, string[] Storage)> _services = [];
    private readonly System.Text.StringBuilder _output = new();
    private readonly string? _ownedFolder;
    private string _tools = "";

    private Azurite(int blobPort, int queuePort, int tablePort, string? ownedFolder = null)
    {
        _ownedFolder = ownedFolder;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>The processes of the services started here (tests pause them to play an unanswering storage account).</summary>
    public IReadOnlyList<int> ProcessIds => _processes.Select(p => p.Process.Id).ToList();

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    /// <summary>Whether this object started the emulator (and so stops it).</summary>
    public bool Started => _services.Count > 0;

    /// <summary>The processor time each service started here has used so far (none for an Azurite found running).</summary>
    public IReadOnlyDictionary<string, TimeSpan> ProcessorTimes() => _processes.ToDictionary(p => p.Service, p =>
    {
        p.Process.Refresh();
        return p.Process.HasExited ? TimeSpan.Zero : p.Process.TotalProcessorTime;
    });

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>
    /// Uses the Azurite already listening on the default ports, or starts one: on the default ports when they
    /// are free, otherwise on free ones.
    /// </summary>
    public static async Task<Azurite> UseOrStartAsync(string dataFolder, CancellationToken cancellationToken)
    {
        int[] defaults = [DefaultBlobPort, DefaultQueuePort, DefaultTablePort];
        var listening = await Task.WhenAll(defaults.Select(IsListeningAsync));
        if (listening.All(l => l))
        {
            return new Azurite(DefaultBlobPort, DefaultQueuePort, DefaultTablePort);
        }

        var ports = listening.Any(l => l) ? FreePorts(3) : defaults;
        return await StartAsync(dataFolder, ports[0], ports[1], ports[2], inMemory: false, cancellationToken);
    }

    /// <summary>Starts a private Azurite on free ports: what tests and benchmarks use.</summary>
    public static Task<Azurite> StartPrivateAsync(string dataFolder, bool inMemory, CancellationToken cancellationToken)
    {
        var ports = FreePorts(3);
        return StartAsync(dataFolder, ports[0], ports[1], ports[2], inMemory, cancellationToken);
    }

    /// <summary>
    /// Starts Azurite's three services as three processes, so that they use more than one core. Tables and blobs
    /// are kept in memory when asked; queues always keep their messages in files under the data folder, because
    /// Azurite's in-memory queue store sweeps deleted messages once a minute in time that grows with the square of
    /// their number, and stalls for good past a few thousand messages a minute.
    /// </summary>
    private static async Task<Azurite> StartAsync(string dataFolder, int blobPort, int queuePort, int tablePort, bool inMemory,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataFolder);
        var queueFolder = inMemory ? Path.Combine(dataFolder, "azurite-queues-" + Guid.NewGuid().ToString("N")) : dataFolder;
        Directory.CreateDirectory(queueFolder);
        string[] stored = inMemory ? ["--inMemoryPersistence"] : ["--location", dataFolder];
        var azurite = new Azurite(blobPort, queuePort, tablePort, inMemory ? queueFolder : null)
        {
            _tools = await FindOrInstallAsync(cancellationToken),
        };
        azurite._services.AddRange([("blob", blobPort, stored), ("queue", queuePort, ["--location", queueFolder]), ("table", tablePort, stored)]);
        try
        {
            await azurite.RestartAsync(cancellationToken);
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }

        return azurite;
    }

    /// <summary>Starts the services again on the same ports and data after <see cref="StopAsync"/> (storage coming back).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        foreach (var (service, port, storage) in _services)
        {
            _processes.Add((service, StartService(_tools, service, port, storage, _output)));
        }

        var deadline = Clock.GetUtcNow().AddSeconds(30);
        while (!(await IsListeningAsync(BlobPort) && await IsListeningAsync(QueuePort) && await IsListeningAsync(TablePort)))
        {
            if (_processes.Any(p => p.Process.HasExited) || Clock.GetUtcNow() > deadline)
            {
                string log;
                lock (_output) { log = _output.ToString(); }
                throw new InvalidOperationException($"Azurite did not start listening on {BlobPort}/{QueuePort}/{TablePort}:\n{log}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), Clock, cancellationToken);
        }
    }

    private static Process StartService(string tools, string service, int port, string[] storage, System.Text.StringBuilder output)
    {
        var start = new ProcessStartInfo(Path.Combine(tools, "azurite-" + service))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Azurite keeps tables in memory; Node's default heap is too small for a million rows.
        start.Environment["NODE_OPTIONS"] = "--max-old-space-size=8192";
        foreach (var argument in new[] { $"--{service}Host", "127.0.0.1", $"--{service}Port", port.ToString(), "--skipApiVersionCheck", "--disableTelemetry", "--silent" }
                     .Concat(storage))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Azurite's {service} service did not start.");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // One install at a time: within this process (tests start many Azurites at once) and across processes.
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>
    /// Azurite's bin folder, installed from npm the first time. Concurrent first starts (a test run starts several)
    /// wait for one install, which goes to a folder of its own and is moved into place whole, so no start ever sees
    /// half an install.
    /// </summary>
    private static async Task<string> FindOrInstallAsync(CancellationToken cancellationToken)
    {
        var tools = Path.Combine(RepositoryRoot.Find(), ".tools");
        var toolsFolder = Path.Combine(tools, "azurite");
        var bin = Path.Combine(toolsFolder, "node_modules", ".bin");
        if (File.Exists(Path.Combine(bin, "azurite")))
        {
            return bin;
        }

        await InstallGate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(tools);
            await using var crossProcess = await LockAsync(Path.Combine(tools, "azurite.install.lock"), cancellationToken);
            if (File.Exists(Path.Combine(bin, "azurite")))
            {
                return bin;
            }

            var partial = Path.Combine(tools, "azurite-installing-" + Guid.NewGuid().ToString("N"));
            Console.Error.WriteLine($"Installing Azurite {Version} from npm into {toolsFolder} ...");
            var npm = new ProcessStartInfo("npm") { UseShellExecute = false };
            foreach (var argument in new[] { "install", "--prefix", partial, "--no-audit", "--no-fund", "--loglevel", "error", $"azurite@{Version}" })
            {
                npm.ArgumentList.Add(argument);
            }

            using var install = Process.Start(npm) ?? throw new InvalidOperationException("npm is needed to install Azurite.");
            await install.WaitForExitAsync(cancellationToken);
            if (install.ExitCode != 0 || !File.Exists(Path.Combine(partial, "node_modules", ".bin", "azurite")))
            {
                throw new InvalidOperationException($"npm could not install azurite@{Version} (exit code {install.ExitCode}).");
            }

            if (Directory.Exists(toolsFolder))
            {
                Directory.Delete(toolsFolder, recursive: true); // an install that was interrupted
            }

            Directory.Move(partial, toolsFolder);
            return bin;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <summary>An exclusive lock file, waited for (as long as an install may take) while another process holds it.</summary>
    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        var giveUpAt = Clock.GetUtcNow().AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (Clock.GetUtcNow() < giveUpAt)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), Clock, cancellationToken);
            }
        }
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    public static int FreePort() => FreePorts(1)[0];

    /// <summary>Distinct free ports on 127.0.0.1: all held open together so none is handed out twice.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    /// <summary>
    /// Stops the services started here the way Azurite saves its data: Ctrl+C (SIGINT), then a wait. Its table
    /// service keeps tables in memory and writes them to the data folder only then, so a kill would lose the last
    /// seconds of writes. Only one that does not stop within the wait is killed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownedFolder is not null && Directory.Exists(_ownedFolder))
        {
            Directory.Delete(_ownedFolder, recursive: true);
        }
    }

    /// <summary>
    /// Stops the services started here the way Azurite saves its data: Ctrl+C (SIGINT), then a wait. Its table
    /// service keeps tables in memory and writes them to the data folder only then, so a kill would lose the last
    /// seconds of writes. Only one that does not stop within the wait is killed.
    /// </summary>
    public async Task StopAsync()
    {
        foreach (var (_, process) in _processes.Where(p => !p.Process.HasExited))
        {
            Interrupt(process.Id);
        }

        foreach (var (_, process) in _processes)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        _processes.Clear();
    }

    /// <summary>
    /// Stops, as <see cref="StopAsync"/> does, the Azurite services among <paramref name="processIds"/> that still run on
    /// <paramref name="dataFolder"/> (a process that reused one of the ids is left alone).
    /// </summary>
    public static async Task StopLeftBehindAsync(IEnumerable<int> processIds, string dataFolder)
    {
        var left = processIds.Select(RunningProcess).OfType<Process>().Where(p => ServesFolder(p.Id, dataFolder)).ToList();
        foreach (var process in left)
        {
            Interrupt(process.Id);
        }

        foreach (var process in left)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }

    private static Process? RunningProcess(int processId)
    {
        try
        {
            var process = Process.GetProcessById(processId);
            return process.HasExited ? null : process;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Whether the process's command line names the folder as its <c>--location</c>.</summary>
    private static bool ServesFolder(int processId, string dataFolder)
    {
        var commandLine = $"/proc/{processId}/cmdline";
        return File.Exists(commandLine) && File.ReadAllText(commandLine).Split('\0') is var parts &&
               parts.Zip(parts.Skip(1)).Any(p => p.First == "--location" && Path.GetFullPath(p.Second) == Path.GetFullPath(dataFolder));
    }

    private static void Interrupt(int processId)
    {
        if (OperatingSystem.IsWindows())
        {
            Process.GetProcessById(processId).Kill(entireProcessTree: true); // no SIGINT for another process there
            return;
        }

        if (Kill(processId, SigInt) != 0 && Marshal.GetLastPInvokeError() != NoSuchProcess)
        {
            throw new InvalidOperationException($"Azurite (process {processId}) could not be interrupted: error {Marshal.GetLastPInvokeError()}.");
        }
    }

    private const int SigInt = 2;
    private const int NoSuchProcess = 3; // ESRCH: it has already gone

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
