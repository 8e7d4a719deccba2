using Microsoft.Azure.Functions.Worker;
using PayByLink.Core.Scheduling;

namespace PayByLink.Batch;

/// <summary>Reminders, repayment-plan instalments and expiry, every five minutes.</summary>
public sealed class ScheduleFunctions(RunSchedule runSchedule)
{
    public const string EveryFiveMinutes = "0 */5 * * * *";

    [Function("RunSchedule")]
    public Task Run([TimerTrigger(EveryFiveMinutes)] TimerInfo timer, CancellationToken cancellationToken) =>
        runSchedule.ExecuteAsync(cancellationToken);
}
