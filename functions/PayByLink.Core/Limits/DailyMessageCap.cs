using PayByLink.Core.Domain;
using PayByLink.Core.Limits.Ports;

namespace PayByLink.Core.Limits;

/// <summary>A cap a create or a batch would pass: the channel, the cap, what is counted today, and what it would add.</summary>
public sealed record CapReached(Channel Channel, int Cap, long SentToday, long Wanted)
{
    public string Message =>
        $"The daily cap of {Cap:N0} {Name} messages would be passed: {SentToday:N0} are counted today and this would add {Wanted:N0}.";

    private string Name => Channel == Channel.Sms ? "SMS" : "email";
}

/// <summary>
/// A merchant's daily message caps (<see cref="MerchantLimits.DailySms"/>, <see cref="MerchantLimits.DailyEmails"/>),
/// counted per day of the merchant's time zone. A single create counts its first message on each of its channels; a
/// batch counts all of its lines' first messages when its file is read, before any is sent, and is refused whole if
/// they would pass a cap. Reminders and instalment messages are not counted: they follow requests already counted.
/// The check and the count are two steps, so creates made at the same moment may pass a cap by at most their number.
/// </summary>
public sealed class DailyMessageCap(IMessageCounts counts, PlatformLimits platform, TimeProvider clock)
{
    public async Task<CapReached?> CheckAsync(Merchant merchant, IReadOnlyDictionary<Channel, long> wanted, CancellationToken cancellationToken)
    {
        var today = await counts.ReadAsync(merchant.Id, Today(merchant), cancellationToken);
        foreach (var (channel, count) in wanted.Where(w => w.Value > 0))
        {
            var cap = platform.For(merchant).DailyCap(channel);
            var sent = today.GetValueOrDefault(channel);
            if (sent + count > cap)
            {
                return new CapReached(channel, cap, sent, count);
            }
        }

        return null;
    }

    public Task CountAsync(Merchant merchant, IReadOnlyDictionary<Channel, long> sent, CancellationToken cancellationToken) =>
        counts.AddAsync(merchant.Id, Today(merchant), sent, cancellationToken);

    /// <summary>The first messages of a request on these channels: one each.</summary>
    public static IReadOnlyDictionary<Channel, long> Messages(IEnumerable<Channel> channels) => channels.ToDictionary(c => c, _ => 1L);

    /// <summary>How long until the merchant's next midnight, when its caps start again.</summary>
    public TimeSpan UntilNextDay(Merchant merchant)
    {
        var now = clock.GetUtcNow();
        var midnight = TimeZoneInfo.ConvertTime(now, merchant.Zone()).Date.AddDays(1);
        return TimeZoneInfo.ConvertTimeToUtc(midnight, merchant.Zone()) - now.UtcDateTime;
    }

    private DateOnly Today(Merchant merchant) => merchant.LocalDate(clock.GetUtcNow());
}
