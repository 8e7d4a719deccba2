using System.Globalization;
using Azure.Data.Tables;
using PayByLink.Core.Batches;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Batch funnels in the <c>BatchFunnels</c> table, each batch's lines spread over <see cref="Shards"/> partitions
/// (<c>{merchant}|{batch}|{shard}</c>, by record number) to spread concurrent writers. Each partition holds its
/// tally (<c>tally</c>) and a marker per line and step (<c>{step}|{record}</c>), added in the same transaction as
/// the count, so a line is counted at a step once.
/// </summary>
public sealed class TableBatchFunnelStore(StorageClients storage) : IBatchFunnelStore
{
    private const int Shards = 8;
    private const string TallyRow = "tally";
    private const string AmountPrefix = "Paid_";

    private readonly TableClient _table = storage.Table(StorageNames.BatchFunnelsTable);

    public async Task RecordAsync(string merchantId, string batchId, int record, FunnelStep step, decimal amount, string currency,
        CancellationToken cancellationToken)
    {
        var partition = Partition(merchantId, batchId, record % Shards);
        var marker = $"{step}|{record:D9}";
        await MarkedTally.AddOnceAsync(_table, partition, TallyRow, marker,
            row => Entity(partition, (row is null ? FunnelTally.Empty : Read(row)).With(step, amount, currency)),
            $"The funnel tally of record {record} of batch {batchId}", cancellationToken);
    }

    public async Task<FunnelTally> ReadAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        var rows = await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard =>
            _table.GetEntityIfExistsAsync<TableEntity>(Partition(merchantId, batchId, shard), TallyRow, cancellationToken: cancellationToken)));
        return rows.Where(r => r.HasValue).Select(r => Read(r.Value!)).Aggregate(FunnelTally.Empty, (sum, t) => sum.Plus(t));
    }

    private static string Partition(string merchantId, string batchId, int shard) => $"{merchantId}|{batchId}|{shard}";

    private static TableEntity Entity(string partition, FunnelTally tally)
    {
        var entity = new TableEntity(partition, TallyRow)
        {
            ["Delivered"] = tally.Delivered,
            ["Undeliverable"] = tally.Undeliverable,
            ["Opened"] = tally.Opened,
            ["Paid"] = tally.Paid,
        };
        foreach (var (currency, amount) in tally.AmountPaid)
        {
            entity[AmountPrefix + currency] = amount.ToString(CultureInfo.InvariantCulture);
        }

        return entity;
    }

    private static FunnelTally Read(TableEntity e) => new(e.GetInt32("Delivered") ?? 0, e.GetInt32("Undeliverable") ?? 0, e.GetInt32("Opened") ?? 0,
        e.GetInt32("Paid") ?? 0,
        e.Keys.Where(k => k.StartsWith(AmountPrefix, StringComparison.Ordinal))
            .ToDictionary(k => k[AmountPrefix.Length..], k => decimal.Parse(e.GetString(k), CultureInfo.InvariantCulture)));
}
