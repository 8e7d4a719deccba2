using PayByLink.Core.Merchants;
using PayByLink.Core.Domain;

namespace PayByLink.Core.Scheduling;

public enum ScheduledAction
{
    Send,
    Expire,

    /// <summary>Finish the create that claimed <see cref="ScheduledEvent.Reference"/> if it stopped part way.</summary>
    FinishCreate,

    /// <summary>Expire the batch (its id in <see cref="ScheduledEvent.RequestId"/>) if its upload URL ran out unused.</summary>
    ExpireBatch,

    /// <summary>Erase the personal data of a request that ended longer ago than its merchant keeps it (<see cref="Retention"/>).</summary>
    Erase,

    /// <summary>Forget the lines as uploaded of a batch (its id in <see cref="ScheduledEvent.RequestId"/>) past its merchant's retention.</summary>
    ForgetBatch,
}

/// <summary>
/// Something due for a request at a time: a reminder, an instalment's link, its expiry, or the check that its
/// create finished (which names the reference, because a create can stop before its request is saved); or for a
/// batch, the check that its upload URL was used.
/// </summary>
public sealed record ScheduledEvent(string MerchantId, string RequestId, string Purpose, ScheduledAction Action, DateTimeOffset DueAt,
    string? Reference = null);

/// <summary>
/// A request's timeline after it is created: reminders every <c>everyDays</c> up to <c>max</c>, each repayment-plan
/// instalment on its date (at 09:00 in the merchant's time zone), and finally its expiry.
/// </summary>
public static class RequestSchedule
{
    /// <summary>The purpose of an instalment's send: <c>instalment-{number}</c>.</summary>
    public const string InstalmentPurposePrefix = "instalment-";

    private static readonly TimeOnly InstalmentTime = new(9, 0);
    private static readonly TimeOnly DefaultQuietFrom = MerchantSettings.Default.QuietFrom;
    private static readonly TimeOnly DefaultQuietUntil = MerchantSettings.Default.QuietUntil;

    public static IReadOnlyList<ScheduledEvent> Events(PaymentRequest request, TimeZoneInfo zone)
    {
        var c = request.Content;
        var events = new List<ScheduledEvent>();
        if (c.Reminders is { } reminders)
        {
            for (var k = 1; k <= reminders.Max; k++)
            {
                var due = request.CreatedAt.AddDays(reminders.EveryDays * k);
                if (due < c.ExpiresAt)
                {
                    events.Add(new ScheduledEvent(request.MerchantId, request.RequestId, $"reminder-{k}", ScheduledAction.Send, due));
                }
            }
        }

        if (c.RepaymentPlan is { } plan)
        {
            foreach (var instalment in plan.Schedule(c.Amount, Currency.Find(c.Currency)))
            {
                var local = instalment.DueDate.ToDateTime(InstalmentTime);
                var due = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
                if (due > request.CreatedAt)
                {
                    events.Add(new ScheduledEvent(request.MerchantId, request.RequestId, InstalmentPurposePrefix + instalment.Number, ScheduledAction.Send, due));
                }
            }
        }

        events.Add(new ScheduledEvent(request.MerchantId, request.RequestId, "expiry", ScheduledAction.Expire, c.ExpiresAt));
        return events.OrderBy(e => e.DueAt).ThenBy(e => e.Purpose, StringComparer.Ordinal).ToList();
    }

    /// <summary>The event after <paramref name="done"/> (or the first, when null).</summary>
    public static ScheduledEvent? Next(PaymentRequest request, TimeZoneInfo zone, ScheduledEvent? done) =>
        Events(request, zone).FirstOrDefault(e => done is null ||
            e.DueAt > done.DueAt || (e.DueAt == done.DueAt && string.CompareOrdinal(e.Purpose, done.Purpose) > 0));

    /// <summary>
    /// When a message due at <paramref name="now"/> may go: now, or the end of the quiet hours when now falls in them
    /// (the merchant's, from <paramref name="quietFrom"/> to <paramref name="quietUntil"/>, 21:00–08:00 unless it set
    /// its own) in the merchant's time zone.
    /// </summary>
    public static DateTimeOffset OutsideQuietHours(DateTimeOffset now, TimeZoneInfo zone, TimeOnly? quietFrom = null, TimeOnly? quietUntil = null)
    {
        var (from, until) = (quietFrom ?? DefaultQuietFrom, quietUntil ?? DefaultQuietUntil);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var quiet = from > until ? time >= from || time < until : time >= from && time < until;
        if (!quiet)
        {
            return now;
        }

        // The quiet hours end at the next "until": later today, or tomorrow when they run past midnight and it is evening.
        var morning = DateOnly.FromDateTime(local.DateTime).AddDays(time >= until ? 1 : 0).ToDateTime(until);
        return new DateTimeOffset(morning, zone.GetUtcOffset(morning)).ToUniversalTime();
    }
}
