using PayByLink.Local;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>What the local runtime's senders have put in the outbox, read the way /dev/outbox reads it.</summary>
public sealed class Outbox(TableOutbox outbox)
{
    /// <summary>
    /// The messages sent for a request once at least <paramref name="expected"/> have arrived (or 20 s have passed),
    /// read again after a pause so that anything sent twice shows.
    /// </summary>
    public async Task<IReadOnlyList<OutboxMessage>> ForRequestAsync(string requestId, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await ReadAsync(requestId)).Count < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await Task.Delay(750);
        return await ReadAsync(requestId);
    }

    private async Task<IReadOnlyList<OutboxMessage>> ReadAsync(string requestId) =>
        (await outbox.PageAsync(requestId, null, 1000, null, CancellationToken.None)).Items;
}
