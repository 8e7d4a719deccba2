using Microsoft.Extensions.Logging;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Payments;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Scheduling;

/// <summary>
/// The timer's work: for every due event, send the reminder or instalment link (outside quiet hours, and only for
/// open requests), or expire the request; then schedule the request's next event. Safe to run twice at once:
/// send ids are deterministic, so the senders send each reminder once, and expiry is a forward-only status change.
/// </summary>
public sealed partial class RunSchedule(
    IScheduleStore schedule,
    IPaymentRequestStore requests,
    IMerchantStore merchants,
    ISendMessagePublisher publisher,
    IPaymentStore payments,
    PaymentRequestChanges statuses,
    CreatePaymentRequest creates,
    BatchCompletion batches,
    IEnumerable<IExpiringRows> expiring,
    TimeProvider clock,
    ILogger<RunSchedule> logger)
{
    /// <summary>How far back a first run looks.</summary>
    public static readonly TimeSpan FirstLookBack = TimeSpan.FromDays(2);

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var from = await schedule.CheckpointAsync(cancellationToken) ?? Hour(now - FirstLookBack);
        var handled = 0;
        foreach (var due in await schedule.DueAsync(from, now, cancellationToken))
        {
            await HandleAsync(due, now, cancellationToken);
            handled++;
        }

        // Everything due before this hour is handled: later runs start here.
        await schedule.SaveCheckpointAsync(Hour(now), cancellationToken);
        if (from < Hour(now))
        {
            await RemoveExpiredAsync(now, cancellationToken);
        }

        return handled;
    }

    /// <summary>Once an hour (the first run of each): counts of windows and days gone by are removed.</summary>
    private async Task RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var rows in expiring)
        {
            try
            {
                LogRemoved(await rows.RemoveExpiredAsync(now, cancellationToken), rows.GetType().Name);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next hour tries again; nothing depends on these rows being gone.
                LogRemoveFailed(e, rows.GetType().Name);
            }
        }
    }

    private async Task HandleAsync(ScheduledEvent due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (due.Action == ScheduledAction.FinishCreate)
        {
            // Finishing the create removes its check; a check with nothing to finish is removed here.
            if (await merchants.FindAsync(due.MerchantId, cancellationToken) is not { } owner || due.Reference is not { } reference ||
                !await creates.FinishAsync(owner, reference, cancellationToken))
            {
                await schedule.RemoveAsync(due, cancellationToken);
            }

            return;
        }

        if (due.Action == ScheduledAction.ExpireBatch)
        {
            await batches.ExpireIfUnusedAsync(due.MerchantId, due.RequestId, cancellationToken);
            await schedule.RemoveAsync(due, cancellationToken);
            return;
        }

        var request = (await requests.FindAsync(due.MerchantId, due.RequestId, cancellationToken))?.Value;
        if (request is null || !StatusTransitions.IsOpen(request.Status))
        {
            await schedule.RemoveAsync(due, cancellationToken);
            return;
        }

        var merchant = await merchants.FindAsync(due.MerchantId, cancellationToken);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(merchant?.TimeZone ?? Merchant.DefaultTimeZone);
        if (due.Action == ScheduledAction.Expire)
        {
            await statuses.ExecuteAsync(due.MerchantId, due.RequestId, PaymentRequestStatus.Expired, cancellationToken);
            await schedule.RemoveAsync(due, cancellationToken);
            LogExpired(due.RequestId);
            return;
        }

        var sendAt = RequestSchedule.OutsideQuietHours(now, zone);
        if (sendAt > now)
        {
            // Quiet hours: the same event waits for the morning.
            await schedule.AddAsync(due with { DueAt = sendAt }, cancellationToken);
            await schedule.RemoveAsync(due, cancellationToken);
            return;
        }

        if (await IsPaidInstalmentAsync(request, due.Purpose, cancellationToken))
        {
            LogAlreadyPaid(due.RequestId, due.Purpose);
        }
        else
        {
            await publisher.PublishAsync(request.Content.Channels.Select(c => SendMessage.For(request, c, due.Purpose, now)).ToList(), cancellationToken);
            LogSent(due.RequestId, due.Purpose);
        }

        if (RequestSchedule.Next(request, zone, due) is { } next)
        {
            await schedule.AddAsync(next, cancellationToken);
        }

        await schedule.RemoveAsync(due, cancellationToken);
    }

    /// <summary>An instalment the customer paid ahead of its date gets no link on that date.</summary>
    private async Task<bool> IsPaidInstalmentAsync(PaymentRequest request, string purpose, CancellationToken cancellationToken) =>
        purpose.StartsWith(RequestSchedule.InstalmentPurposePrefix, StringComparison.Ordinal) &&
        int.TryParse(purpose[RequestSchedule.InstalmentPurposePrefix.Length..], out var number) &&
        (await payments.ListAsync(request.MerchantId, request.RequestId, cancellationToken)).Any(p => p.Instalment == number);

    private static DateTimeOffset Hour(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: {Purpose} published")]
    private partial void LogSent(string requestId, string purpose);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: {Purpose} already paid; nothing sent")]
    private partial void LogAlreadyPaid(string requestId, string purpose);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} expired")]
    private partial void LogExpired(string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} expired rows of {Store}")]
    private partial void LogRemoved(int count, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expired rows of {Store} were not removed; the next hour tries again")]
    private partial void LogRemoveFailed(Exception exception, string store);
}
