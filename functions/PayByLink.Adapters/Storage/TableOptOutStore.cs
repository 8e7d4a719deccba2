using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Opt-outs in the <c>OptOuts</c> table: a merchant's list in its partition (<c>{merchant}</c>, rows
/// <c>{channel}|{recipient}</c>, so a send's check is one point read), and the STOPs texted to a sender number in
/// that number's partition (<c>stop|{sender}</c>, rows <c>{mobile}</c>).
/// </summary>
public sealed class TableOptOutStore(StorageClients storage) : IOptOutStore
{
    private readonly TableClient _table = storage.Table(StorageNames.OptOutsTable);

    public async Task<OptOut?> FindAsync(string merchantId, Channel channel, string recipient, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(merchantId, Row(channel, recipient), cancellationToken: cancellationToken);
        return row.HasValue ? Read(row.Value!) : null;
    }

    public Task SaveAsync(string merchantId, OptOut optOut, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(merchantId, Row(optOut.Channel, optOut.Recipient))
        {
            ["Channel"] = optOut.Channel.ToString(),
            ["Recipient"] = optOut.Recipient,
            ["Source"] = optOut.Source.ToString(),
            ["CreatedAt"] = optOut.CreatedAt,
            ["SenderNumber"] = optOut.SenderNumber,
        }, TableUpdateMode.Replace, cancellationToken);

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
        return new OptOutPage(rows.Select(Read).ToList(), next);
    }

    public async Task<DateTimeOffset?> FindStopAsync(string senderNumber, string mobile, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(StopPartition(senderNumber), TableKeys.Escape(mobile), ["StoppedAt"],
            cancellationToken);
        return row.HasValue ? row.Value!.GetDateTimeOffset("StoppedAt") : null;
    }

    public Task SaveStopAsync(string senderNumber, string mobile, DateTimeOffset at, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(StopPartition(senderNumber), TableKeys.Escape(mobile)) { ["StoppedAt"] = at },
            TableUpdateMode.Replace, cancellationToken);

    public async Task DeleteStopAsync(string senderNumber, string mobile, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(StopPartition(senderNumber), TableKeys.Escape(mobile), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Not stopped: nothing to lift.
        }
    }

    private static string Row(Channel channel, string recipient) => $"{channel.Name()}|{TableKeys.Escape(recipient.ToLowerInvariant())}";

    private static string StopPartition(string senderNumber) => "stop|" + TableKeys.Escape(senderNumber);

    private static OptOut Read(TableEntity e) => new(Enum.Parse<Channel>(e.GetString("Channel")), e.GetString("Recipient"),
        Enum.Parse<OptOutSource>(e.GetString("Source")), e.GetDateTimeOffset("CreatedAt")!.Value, e.GetString("SenderNumber"));
}
