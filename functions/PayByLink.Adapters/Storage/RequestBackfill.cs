using Azure.Data.Tables;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;
using PayByLink.Core.Scheduling;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Once, for requests stored before requests were indexed by email and erased after their retention: each gets its email
/// index row, and each that has ended (and so has no scheduled event left to find it) gets its erasure scheduled for its
/// merchant's retention after its last change. Run at start and by the admin commands, after <see cref="StoredDataProtection"/>;
/// a marker row makes it one point read once done. Safe to repeat.
/// </summary>
public sealed class RequestBackfill(StorageClients storage, StoredDocuments documents, IScheduleStore schedule, IMerchantStore merchants)
{
    private const string MarkerPartition = "~layout", MarkerRow = "requests-indexed-by-email-and-retained";
    private readonly TableClient _markers = storage.Table(StorageNames.PaymentLinksTable);
    private readonly PartitionWriter _index = new(storage.Table(StorageNames.PaymentRequestIndexTable));

    /// <summary>The number of requests whose erasure was scheduled.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if ((await _markers.GetEntityIfExistsAsync<TableEntity>(MarkerPartition, MarkerRow, cancellationToken: cancellationToken)).HasValue)
        {
            return 0;
        }

        var scheduled = 0;
        var retention = new Dictionary<string, Retention>(StringComparer.Ordinal);
        var rows = storage.Table(StorageNames.PaymentRequestsTable).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"RowKey eq {PaymentRequestRows.RequestRow}"), select: ["PartitionKey", "RowKey", "Document"],
            cancellationToken: cancellationToken);
        await foreach (var row in rows)
        {
            var request = PaymentRequestRows.ReadDocument(row, documents);
            foreach (var email in PaymentRequestIndexRows.Fixed(request).Where(r => r.PartitionKey.Contains("|email|", StringComparison.Ordinal)))
            {
                await _index.WriteAsync(new TableTransactionAction(TableTransactionActionType.UpsertReplace, email), cancellationToken);
            }

            if (!StatusTransitions.IsOpen(request.Status) && request.ErasedAt is null)
            {
                if (!retention.TryGetValue(request.MerchantId, out var kept))
                {
                    kept = retention[request.MerchantId] = (await merchants.FindAsync(request.MerchantId, cancellationToken))?.Retention ?? Retention.Default;
                }

                await schedule.AddAsync(new ScheduledEvent(request.MerchantId, request.RequestId, RunSchedule.RetentionPurpose, ScheduledAction.Erase,
                    request.UpdatedAt + kept.Requests), cancellationToken);
                scheduled++;
            }
        }

        await _markers.UpsertEntityAsync(new TableEntity(MarkerPartition, MarkerRow), TableUpdateMode.Replace, cancellationToken);
        return scheduled;
    }
}
