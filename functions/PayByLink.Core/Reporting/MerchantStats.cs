using Microsoft.Extensions.Caching.Memory;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Reporting;

/// <summary>
/// A merchant's daily figures: counted from each change's events as they are stored (a request's first send on each
/// channel, its first delivery receipt, its opening, its payment in full, and every payment's amount), on the day
/// of the merchant's time zone the event happened, each once; and read back for a range of days, one read a day,
/// whatever the number of requests.
/// </summary>
public sealed class MerchantStats(IStatsStore store, IMerchantStore merchants, IMemoryCache cache) : IChangeConsumer
{
    /// <summary>The longest range read at once.</summary>
    public const int MaxDays = 366;

    /// <summary>Days read at once.</summary>
    private const int ReadsAtOnce = 16;

    public async Task OnChangeAsync(Change change, CancellationToken cancellationToken)
    {
        if (change.Request is null || change.Events.Count == 0)
        {
            return;
        }

        var counted = change.Events.SelectMany(Counted).ToList();
        if (counted.Count == 0 || await MerchantAsync(change.MerchantId, cancellationToken) is not { } merchant)
        {
            return;
        }

        foreach (var (e, step, key, amount, currency) in counted)
        {
            await store.RecordAsync(change.MerchantId, merchant.LocalDate(e.CreatedAt), step, key, amount, currency, cancellationToken);
        }
    }

    /// <summary>What an event counts, and under which key (so that each is counted once).</summary>
    public static IEnumerable<(DomainEvent Event, StatsStep Step, string Key, decimal Amount, string Currency)> Counted(DomainEvent e)
    {
        var request = e.Data.Request;
        var requestId = e.SubjectId;
        switch (e.Type)
        {
            case EventTypes.RequestSent when e.Data.Delivery is { Purpose: SendMessage.InitialPurpose } delivery:
                yield return (e, delivery.Channel == Channel.Sms ? StatsStep.SentSms : StatsStep.SentEmail, requestId, 0, "");
                break;
            case EventTypes.RequestDelivered:
                yield return (e, StatsStep.Delivered, requestId, 0, "");
                break;
            case EventTypes.RequestOpened:
                yield return (e, StatsStep.Opened, requestId, 0, "");
                break;
            case EventTypes.RequestPaid:
                yield return (e, StatsStep.Paid, requestId, 0, "");
                break;
        }

        if (e.Type is EventTypes.RequestPaid or EventTypes.RequestInstalmentPaid && e.Data.Payment is { } payment)
        {
            yield return (e, StatsStep.Collected, $"{requestId}|{payment.Instalment ?? 0}", payment.Amount, payment.Currency);
        }
        else if (e.Type == EventTypes.RequestPaid && request is not null && e.Data.Payment is null)
        {
            // Marked paid by the merchant (paid elsewhere): the request's amount.
            yield return (e, StatsStep.Collected, $"{requestId}|0", request.Content.Amount, request.Content.Currency);
        }
    }

    /// <summary>The merchant's figures from <paramref name="from"/> to <paramref name="to"/>, both included, days of its zone.</summary>
    public async Task<StatsReport> ReadAsync(Merchant merchant, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays).ToList();
        var read = new List<(DateOnly, DayStats)>(days.Count);
        foreach (var group in days.Chunk(ReadsAtOnce))
        {
            var stats = await Task.WhenAll(group.Select(day => store.ReadAsync(merchant.Id, day, cancellationToken)));
            read.AddRange(group.Zip(stats));
        }

        return new StatsReport(from, to, merchant.TimeZone, read);
    }

    /// <summary>The merchant, for its time zone: read once in five minutes, not at every change.</summary>
    private async Task<Merchant?> MerchantAsync(string merchantId, CancellationToken cancellationToken) =>
        await cache.GetOrCreateAsync(("stats-merchant", merchantId), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            return await merchants.FindAsync(merchantId, cancellationToken);
        });
}
