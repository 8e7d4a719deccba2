using Azure;
using Azure.Data.Tables;
using PayByLink.Adapters.Secrets;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Opt-outs in the <c>OptOuts</c> table, found by the keyed hash of their recipient (<see cref="LookupHasher"/>), never
/// the recipient in clear: a merchant's list in its partition (<c>{merchant}</c>, rows <c>{channel}|{hash}</c>, so a
/// send's check is one point read, each holding its recipient encrypted for the list), and the STOPs texted to a sender
/// number in that number's partition (<c>stop|{sender}</c>, rows <c>{hash of the mobile}</c>). Erasing a person's data
/// removes the encrypted recipient and keeps the row: they are still never sent to. Rows stored before (keyed by the
/// recipient) are moved by <see cref="ProtectStoredOptOutsAsync"/>.
/// </summary>
public sealed class TableOptOutStore(StorageClients storage, LookupHasher hasher, SecretProtector protector) : IOptOutStore
{
    private readonly TableClient _table = storage.Table(StorageNames.OptOutsTable);

    public async Task<OptOut?> FindAsync(string merchantId, Channel channel, string recipient, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(merchantId, Row(channel, recipient), cancellationToken: cancellationToken);
        return row.HasValue ? Read(row.Value!, recipient) : null;
    }

    public Task SaveAsync(string merchantId, OptOut optOut, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(Entity(merchantId, optOut), TableUpdateMode.Replace, cancellationToken);

    /// <summary>Forgets the recipient of the merchant's opt-out, keeping the opt-out; false when there is none to forget.</summary>
    public async Task<bool> ForgetRecipientAsync(string merchantId, Channel channel, string recipient, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(merchantId, Row(channel, recipient), cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value!.GetString("Recipient") is null)
        {
            return false;
        }

        row.Value.Remove("Recipient");
        await _table.UpdateEntityAsync(row.Value, ETag.All, TableUpdateMode.Replace, cancellationToken);
        return true;
    }

    private TableEntity Entity(string merchantId, OptOut optOut) =>
        new(merchantId, Row(optOut.Channel, optOut.Recipient))
        {
            ["Channel"] = optOut.Channel.ToString(),
            ["Recipient"] = protector.Protect(optOut.Recipient),
            ["Source"] = optOut.Source.ToString(),
            ["CreatedAt"] = optOut.CreatedAt,
            ["SenderNumber"] = optOut.SenderNumber,
        };

    public async Task<bool> DeleteAsync(string merchantId, Channel channel, string recipient, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(merchantId, Row(channel, recipient), ETag.All, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    public async Task<OptOutPage> ListAsync(string merchantId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var (rows, next) = await TableKeys.PageAsync(_table, merchantId, null, pageSize, continuationToken, cancellationToken);
        return new OptOutPage(rows.Where(r => r.GetString("Recipient") is not null)
            .Select(r => Read(r, protector.Unprotect(r.GetString("Recipient")))).ToList(), next);
    }

    public async Task<DateTimeOffset?> FindStopAsync(string senderNumber, string mobile, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(StopPartition(senderNumber), hasher.Hash("stop|" + mobile), ["StoppedAt"],
            cancellationToken);
        return row.HasValue ? row.Value!.GetDateTimeOffset("StoppedAt") : null;
    }

    public Task SaveStopAsync(string senderNumber, string mobile, DateTimeOffset at, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(StopPartition(senderNumber), hasher.Hash("stop|" + mobile)) { ["StoppedAt"] = at },
            TableUpdateMode.Replace, cancellationToken);

    public async Task DeleteStopAsync(string senderNumber, string mobile, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(StopPartition(senderNumber), hasher.Hash("stop|" + mobile), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Not stopped: nothing to lift.
        }
    }

    /// <summary>
    /// Moves opt-outs stored before recipients were hashed (keyed by the recipient itself) to their hashed keys, and
    /// re-encrypts recipients under a key being rotated out; the number of rows rewritten.
    /// </summary>
    internal async Task<int> ProtectStoredOptOutsAsync(CancellationToken cancellationToken)
    {
        var rewritten = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            if (row.PartitionKey.StartsWith("stop|", StringComparison.Ordinal))
            {
                if (!IsHash(row.RowKey))
                {
                    await _table.UpsertEntityAsync(new TableEntity(row.PartitionKey, hasher.Hash("stop|" + Uri.UnescapeDataString(row.RowKey)))
                        { ["StoppedAt"] = row.GetDateTimeOffset("StoppedAt") }, TableUpdateMode.Replace, cancellationToken);
                    await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                    rewritten++;
                }

                continue;
            }

            var channel = Enum.Parse<Channel>(row.GetString("Channel"));
            if (!IsHash(row.RowKey[(row.RowKey.IndexOf('|') + 1)..]))
            {
                var optOut = new OptOut(channel, row.GetString("Recipient"), Enum.Parse<OptOutSource>(row.GetString("Source")),
                    row.GetDateTimeOffset("CreatedAt")!.Value, row.GetString("SenderNumber"));
                await _table.UpsertEntityAsync(Entity(row.PartitionKey, optOut), TableUpdateMode.Replace, cancellationToken);
                await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                rewritten++;
            }
            else if (row.GetString("Recipient") is { } recipient && !protector.IsCurrent(recipient))
            {
                row["Recipient"] = protector.Protect(protector.Unprotect(recipient));
                await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                rewritten++;
            }
        }

        return rewritten;
    }

    private string Row(Channel channel, string recipient) => $"{channel.Name()}|{hasher.Hash($"{channel.Name()}|{recipient.ToLowerInvariant()}")}";

    private static bool IsHash(string key) => key.Length == 64 && key.All(char.IsAsciiHexDigitLower);

    private static string StopPartition(string senderNumber) => "stop|" + TableKeys.Escape(senderNumber);

    private static OptOut Read(TableEntity e, string recipient) => new(Enum.Parse<Channel>(e.GetString("Channel")), recipient,
        Enum.Parse<OptOutSource>(e.GetString("Source")), e.GetDateTimeOffset("CreatedAt")!.Value, e.GetString("SenderNumber"));
}
