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
