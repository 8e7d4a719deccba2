using PayByLink.Core.Domain;
using PayByLink.Core.Limits.Ports;

namespace PayByLink.Testing.Contracts;

/// <summary>What the daily caps rely on of the message counts: sums by merchant, day and channel, none lost to writers at once.</summary>
public abstract class MessageCountsContract
{
    protected abstract IMessageCounts Store();

    [Fact]
    public async Task Counts_add_up_by_merchant_day_and_channel_with_many_writers_at_once()
    {
        var store = Store();
        var merchant = "contract-" + Guid.NewGuid().ToString("N")[..12];
        var day = new DateOnly(2026, 12, 7);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => store.AddAsync(merchant, day,
            new Dictionary<Channel, long> { [Channel.Sms] = 1, [Channel.Email] = i % 2 }, CancellationToken.None)));
        await store.AddAsync(merchant, day.AddDays(1), new Dictionary<Channel, long> { [Channel.Sms] = 500 }, CancellationToken.None);
        await store.AddAsync("other-" + merchant, day, new Dictionary<Channel, long> { [Channel.Sms] = 7 }, CancellationToken.None);

        var today = await store.ReadAsync(merchant, day, CancellationToken.None);
        today[Channel.Sms].ShouldBe(40);
        today[Channel.Email].ShouldBe(20);
        (await store.ReadAsync(merchant, day.AddDays(1), CancellationToken.None))[Channel.Sms].ShouldBe(500);
        (await store.ReadAsync(merchant, day.AddDays(2), CancellationToken.None)).ShouldBeEmpty();
    }
}
