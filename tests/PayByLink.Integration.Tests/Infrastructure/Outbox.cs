using Azure.Data.Tables;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>What the local runtime's senders have put in the outbox, read the way /dev/outbox reads it.</summary>
public sealed class Outbox(TableOutbox outbox, StorageClients storage)
{
    /// <summary>
    /// The messages sent for a request once at least <paramref name="expected"/> have arrived and none of its sends is
    /// still held by a sender or waiting to be tried again (or 20 s have passed): once every send is settled, a message
    /// delivered twice sends nothing more, so anything sent twice has shown.
    /// </summary>
    public async Task<IReadOnlyList<OutboxMessage>> ForRequestAsync(string requestId, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (((await ReadAsync(requestId)).Count < expected || await UnsettledSendsAsync(requestId) > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return await ReadAsync(requestId);
    }

    private async Task<IReadOnlyList<OutboxMessage>> ReadAsync(string requestId) =>
        (await outbox.PageAsync(requestId, null, 1000, null, CancellationToken.None)).Items;

    /// <summary>The request's sends that are Sending or Retrying (a send's row key is <c>send|{requestId}.{channel}.{purpose}</c>).</summary>
    private async Task<int> UnsettledSendsAsync(string requestId)
    {
        var count = 0;
        var filter = TableClient.CreateQueryFilter(
            $"RowKey ge {"send|" + requestId + "."} and RowKey lt {"send|" + requestId + "/"} and (Status eq {nameof(DeliveryStatus.Sending)} or Status eq {nameof(DeliveryStatus.Retrying)})");
        await foreach (var _ in storage.Table(StorageNames.PaymentRequestsTable).QueryAsync<TableEntity>(filter, select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }
}
