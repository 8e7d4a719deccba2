using System.Diagnostics;
using PayByLink.Local;

namespace PayByLink.Benchmarks;

/// <summary>
/// Processor time used by each of Azurite's services and by this process (the runtime, or the raw client) over a
/// stretch of work, per item of that work.
/// </summary>
internal sealed class ProcessorMeter
{
    private readonly Azurite _azurite;
    private readonly IReadOnlyDictionary<string, TimeSpan> _azuriteStart;
    private readonly TimeSpan _ownStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    private ProcessorMeter(Azurite azurite)
    {
        _azurite = azurite;
        _azuriteStart = azurite.ProcessorTimes();
    }

    public static ProcessorMeter Start(Azurite azurite) => new(azurite);

    public ProcessorUse Stop(int items)
    {
        var used = _azurite.ProcessorTimes()
            .Select(s => (Name: "Azurite " + s.Key, Time: s.Value - _azuriteStart[s.Key]))
            .Append((Name: "this process", Time: Process.GetCurrentProcess().TotalProcessorTime - _ownStart))
            .ToList();
        var machine = used.Sum(u => u.Time.TotalMilliseconds) / (_watch.Elapsed.TotalMilliseconds * Environment.ProcessorCount);
        return new ProcessorUse(used.Select(u => (u.Name, u.Time.TotalMilliseconds / items)).ToList(), machine);
    }
}

/// <summary>Milliseconds of processor time per item by process, and the share of all cores they used together.</summary>
internal sealed record ProcessorUse(IReadOnlyList<(string Process, double MsPerItem)> ByProcess, double MachineShare)
{
    public override string ToString() =>
        string.Join(", ", ByProcess.Select(p => $"{p.Process} {p.MsPerItem:F2}")) +
        $" ms; together {MachineShare:P0} of the {Environment.ProcessorCount} cores";
}
