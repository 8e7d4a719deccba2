using System.Diagnostics;

namespace PayByLink.Benchmarks;

/// <summary>Runs an operation many times at a given concurrency and reports latency percentiles.</summary>
public sealed record Latency(int Count, double P50, double P99, double PerSecond)
{
    public static async Task<Latency> MeasureAsync(int count, int concurrency, Func<int, Task> operation)
    {
        var timings = new double[count];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var watch = Stopwatch.StartNew();
                await operation(i);
                timings[i] = watch.Elapsed.TotalMilliseconds;
            }
        }));
        total.Stop();
        Array.Sort(timings);
        return new Latency(count, Percentile(timings, 0.50), Percentile(timings, 0.99), count / total.Elapsed.TotalSeconds);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public override string ToString() => $"p50 {P50,7:F1} ms   p99 {P99,7:F1} ms   ({Count} calls, {PerSecond:F0}/s)";
}
