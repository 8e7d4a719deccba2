using Microsoft.Azure.Functions.Worker;
using PayByLink.Core.Scheduling;

namespace PayByLink.Batch;

/// <summary>Reminders, repayment-plan instalments, expiry and the check that each create finished, every 30 seconds.</summary>
public sealed class ScheduleFunctions(RunSchedule runSchedule)
{
    public const string EveryThirtySeconds = "*/30 * * * * *";

    [Function("RunSchedule")]
    public Task Run([TimerTrigger(EveryThirtySeconds)] TimerInfo timer, CancellationToken cancellationToken) =>
        runSchedule.ExecuteAsync(cancellationToken);
}
