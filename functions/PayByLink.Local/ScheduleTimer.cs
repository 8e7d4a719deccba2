using PayByLink.Core.Scheduling;
using PayByLink.Core.Telemetry;

namespace PayByLink.Local;

/// <summary>The local stand-in for the Batch app's timer trigger: runs the schedule every interval.</summary>
public sealed partial class ScheduleTimer(RunSchedule runSchedule, TimeSpan interval, OutageLog outages, ILogger<ScheduleTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                try
                {
                    await runSchedule.ExecuteAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    if (!outages.Counted("schedule not run", e))
                    {
                        LogFailed(e);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Running the schedule failed")]
    private partial void LogFailed(Exception exception);
}
