using Microsoft.Extensions.Logging;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Payments;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Scheduling;

/// <summary>
/// The timer's work: for every due event, send the reminder or instalment link (outside quiet hours, and only for
/// open requests), or expire the request; then schedule the request's next event. A request found ended gets its
/// erasure scheduled for when its merchant's retention runs out (every request has an expiry, so every request is
/// found ended), and then loses its personal data; a batch's lines are forgotten likewise, after its upload window.
/// Safe to run twice at once: send ids are deterministic, so the senders send each reminder once, expiry is a
/// forward-only status change, and erasure repeats safely.
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
    IBatchStore batchStore,
    IBatchLedger ledger,
    IEnumerable<IExpiringRows> expiring,
    TimeProvider clock,
    ILogger<RunSchedule> logger)
{
    /// <summary>The purpose of a request's erasure and a batch's forgetting when their retention runs out.</summary>
    public const string RetentionPurpose = "retention";

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

        var merchant = await merchants.FindAsync(due.MerchantId, cancellationToken);
        var retention = merchant?.Retention ?? Retention.Default;
        if (due.Action == ScheduledAction.ExpireBatch)
        {
            await batches.ExpireIfUnusedAsync(due.MerchantId, due.RequestId, cancellationToken);
            await schedule.AddAsync(new ScheduledEvent(due.MerchantId, due.RequestId, RetentionPurpose, ScheduledAction.ForgetBatch,
                due.DueAt + retention.Batches), cancellationToken);
            await schedule.RemoveAsync(due, cancellationToken);
            return;
        }

        if (due.Action == ScheduledAction.ForgetBatch)
        {
            await ForgetBatchAsync(due, now, cancellationToken);
            return;
        }

        var request = (await requests.FindAsync(due.MerchantId, due.RequestId, cancellationToken))?.Value;
        if (request is null || !StatusTransitions.IsOpen(request.Status))
        {
            if (request is { ErasedAt: null })
            {
                await EraseWhenDueAsync(request, due, retention, now, cancellationToken);
            }
            else
            {
                await schedule.RemoveAsync(due, cancellationToken);
            }

            return;
        }

        if (due.Action == ScheduledAction.Erase)
        {
            // Only an ended request is erased; an open one is found ended by its own next event.
            await schedule.RemoveAsync(due, cancellationToken);
            return;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(merchant?.TimeZone ?? Merchant.DefaultTimeZone);
        if (due.Action == ScheduledAction.Expire)
        {
            await statuses.ExecuteAsync(due.MerchantId, due.RequestId, PaymentRequestStatus.Expired, Actor.Schedule, cancellationToken);
            await schedule.AddAsync(new ScheduledEvent(due.MerchantId, due.RequestId, RetentionPurpose, ScheduledAction.Erase, now + retention.Requests),
                cancellationToken);
            await schedule.RemoveAsync(due, cancellationToken);
            LogExpired(due.RequestId);
            return;
        }

        var sendAt = RequestSchedule.OutsideQuietHours(now, zone, merchant?.Settings.QuietFrom, merchant?.Settings.QuietUntil);
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

    /// <summary>
    /// A request found ended: erased when its merchant's retention has run out since its last change, else its erasure
    /// scheduled for then (in place of the event that found it).
    /// </summary>
    private async Task EraseWhenDueAsync(PaymentRequest request, ScheduledEvent due, Retention retention, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var eraseAt = request.UpdatedAt + retention.Requests;
        if (eraseAt <= now)
        {
            await statuses.EraseAsync(request.MerchantId, request.RequestId, Actor.Schedule, cancellationToken);
            LogErased(request.RequestId, retention.RequestDays);
        }
        else
        {
            await schedule.AddAsync(new ScheduledEvent(request.MerchantId, request.RequestId, RetentionPurpose, ScheduledAction.Erase, eraseAt),
                cancellationToken);
        }

        await schedule.RemoveAsync(due, cancellationToken);
    }

    /// <summary>
    /// A batch past its retention loses its lines as uploaded (what remains of it is delivery, which reads them no
    /// more); one whose file is still being read is looked at again a day later.
    /// </summary>
    private async Task ForgetBatchAsync(ScheduledEvent due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var batch = await batchStore.FindAsync(due.MerchantId, due.RequestId, cancellationToken);
        if (batch is { Value: { IsFinished: false, Read: false } })
        {
            await schedule.AddAsync(due with { DueAt = now.AddDays(1) }, cancellationToken);
        }
        else if (batch is not null)
        {
            LogForgotten(due.RequestId, await ledger.ForgetBatchAsync(due.MerchantId, due.RequestId, cancellationToken));
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: personal data erased, {Days} days after it ended")]
    private partial void LogErased(string requestId, int days);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId}: {Lines} lines as uploaded forgotten")]
    private partial void LogForgotten(string batchId, int lines);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} expired rows of {Store}")]
    private partial void LogRemoved(int count, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expired rows of {Store} were not removed; the next hour tries again")]
    private partial void LogRemoveFailed(Exception exception, string store);
}
