using System.Net;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;
using PayByLink.Core.Limits;
using PayByLink.Testing.InMemory;

namespace PayByLink.Core.Tests.Limits;

public class LinkGuessLimiterTests
{
    [Fact]
    public async Task Misses_on_one_instance_block_the_client_on_every_instance_until_the_window_ends()
    {
        var counts = new InMemoryGuessCounts();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var (one, two) = (new LinkGuessLimiter(counts, new MemoryCache(new MemoryCacheOptions()), clock),
            new LinkGuessLimiter(counts, new MemoryCache(new MemoryCacheOptions()), clock));
        var client = IPAddress.Parse("203.0.113.9");

        for (var i = 0; i < LinkGuessLimiter.MaxMisses - 1; i++)
        {
            await one.MissAsync(client, CancellationToken.None);
        }

        (await two.IsBlockedAsync(client, CancellationToken.None)).ShouldBeFalse();
        await one.MissAsync(client, CancellationToken.None);
        (await two.IsBlockedAsync(client, CancellationToken.None)).ShouldBeTrue();
        (await two.IsBlockedAsync(IPAddress.Parse("203.0.113.10"), CancellationToken.None)).ShouldBeFalse();

        clock.Advance(LinkGuessLimiter.Window);
        (await two.IsBlockedAsync(client, CancellationToken.None)).ShouldBeFalse();
    }
}
