using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PayByLink.Adapters.Storage;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Adapters;

[Collection(SuiteCollection.Name)]
public class LiveInstancesTests(SuiteFixture suite)
{
    [Fact]
    public async Task Instances_count_each_other_by_their_heartbeats_and_one_that_stops_or_goes_quiet_drops_out()
    {
        var app = "test-" + Guid.NewGuid().ToString("N")[..8];
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var storage = suite.Runtime.Services.GetRequiredService<StorageClients>();
        TableLiveInstances Instance() => new(storage, app, clock, NullLogger<TableLiveInstances>.Instance);
        var (first, second, third) = (Instance(), Instance(), Instance());

        first.Count.ShouldBe(1, "one until it has counted");
        await first.BeatAsync(CancellationToken.None);
        await second.BeatAsync(CancellationToken.None);
        await third.BeatAsync(CancellationToken.None);
        await first.BeatAsync(CancellationToken.None);
        first.Count.ShouldBe(3);

        await third.StopAsync(CancellationToken.None);
        clock.Advance(TableLiveInstances.Beat);
        await first.BeatAsync(CancellationToken.None);
        first.Count.ShouldBe(2, "a stopped instance removes its row");

        clock.Advance(TableLiveInstances.Lapse + TimeSpan.FromSeconds(1));
        await first.BeatAsync(CancellationToken.None);
        first.Count.ShouldBe(1, "one that has not beaten within the lapse is not counted");
    }
}

[Collection(SuiteCollection.Name)]
public class ExpiredCountsTests(SuiteFixture suite)
{
    [Fact]
    public async Task Counts_of_windows_and_days_gone_by_are_removed_and_current_ones_kept()
    {
        var now = DateTimeOffset.UtcNow;
        var guesses = suite.Runtime.Services.GetRequiredService<TableGuessCounts>();
        var messages = suite.Runtime.Services.GetRequiredService<TableMessageCounts>();
        var client = Guid.NewGuid().ToString("N")[..16];
        var merchant = "expiry-" + Guid.NewGuid().ToString("N")[..8];
        var window = now.UtcTicks / PayByLink.Core.Limits.LinkGuessLimiter.Window.Ticks;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await guesses.AddAsync(client, window, CancellationToken.None);
        await guesses.AddAsync(client, window - 7, CancellationToken.None); // 70 minutes ago
        var one = new Dictionary<PayByLink.Core.Domain.Channel, long> { [PayByLink.Core.Domain.Channel.Sms] = 1 };
        await messages.AddAsync(merchant, today, one, CancellationToken.None);
        await messages.AddAsync(merchant, today.AddDays(-1), one, CancellationToken.None);
        await messages.AddAsync(merchant, today.AddDays(-3), one, CancellationToken.None);

        (await guesses.RemoveExpiredAsync(now, CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(1);
        (await messages.RemoveExpiredAsync(now, CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(1);

        (await guesses.CountAsync(client, window, CancellationToken.None)).ShouldBe(1);
        (await guesses.CountAsync(client, window - 7, CancellationToken.None)).ShouldBe(0);
        (await messages.ReadAsync(merchant, today, CancellationToken.None)).ShouldNotBeEmpty();
        (await messages.ReadAsync(merchant, today.AddDays(-1), CancellationToken.None)).ShouldNotBeEmpty("yesterday is still some merchant's today");
        (await messages.ReadAsync(merchant, today.AddDays(-3), CancellationToken.None)).ShouldBeEmpty();
    }
}
