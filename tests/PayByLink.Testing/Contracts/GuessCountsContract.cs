using PayByLink.Core.Limits.Ports;

namespace PayByLink.Testing.Contracts;

/// <summary>What the link-guess limiter relies on of its counts: per client and window, none lost to writers at once.</summary>
public abstract class GuessCountsContract
{
    protected abstract IGuessCounts Store();

    [Fact]
    public async Task Misses_add_up_per_client_and_window()
    {
        var store = Store();
        var (client, other) = (Guid.NewGuid().ToString("N")[..16], Guid.NewGuid().ToString("N")[..16]);
        var window = Random.Shared.NextInt64(1_000_000, 9_000_000);

        await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => store.AddAsync(client, window, CancellationToken.None)));
        await store.AddAsync(other, window, CancellationToken.None);
        await store.AddAsync(client, window + 1, CancellationToken.None);

        (await store.CountAsync(client, window, CancellationToken.None)).ShouldBe(25);
        (await store.CountAsync(other, window, CancellationToken.None)).ShouldBe(1);
        (await store.CountAsync(client, window + 1, CancellationToken.None)).ShouldBe(1);
        (await store.CountAsync(client, window + 2, CancellationToken.None)).ShouldBe(0);
    }
}
