using PayByLink.Core.Ports;
using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Batches in Table Storage: <c>Batches</c>, one partition per merchant; the batch id sorts newest first, so the
/// partition reads in list order. A batch's events sit beside its row. Its lines and counts are its ledger
/// (<see cref="TableBatchLedger"/>).
/// </summary>
public sealed class TableBatchStore(StorageClients storage, StoredDocuments documents) : IBatchStore
{
    private readonly TableClient _batches = storage.Table(StorageNames.BatchesTable);

    public Task AddAsync(Batch batch, CancellationToken cancellationToken) =>
        _batches.AddEntityAsync(BatchEntity(batch), cancellationToken);

    public async Task<Versioned<Batch>?> FindAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        var response = await _batches.GetEntityIfExistsAsync<TableEntity>(merchantId, batchId, cancellationToken: cancellationToken);
        return response.HasValue ? ReadBatch(response.Value!) : null;
    }

    public async Task<Versioned<Batch>?> TryReplaceAsync(Versioned<Batch> current, Batch replacement, DomainEvent? change,
        CancellationToken cancellationToken)
    {
        try
        {
            if (change is null)
            {
                var response = await _batches.UpdateEntityAsync(BatchEntity(replacement), new ETag(current.Version), TableUpdateMode.Replace, cancellationToken);
                return new Versioned<Batch>(replacement, response.Headers.ETag!.Value.ToString());
            }

            var written = await _batches.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, BatchEntity(replacement), new ETag(current.Version)),
                new TableTransactionAction(TableTransactionActionType.Add, EventRows.Entity(replacement.MerchantId, EventRowPrefix(replacement.BatchId), change, documents)),
            ], cancellationToken);
            return new Versioned<Batch>(replacement, written.Value[0].Headers.ETag!.Value.ToString());
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound or (int)HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    /// <summary>A batch's events sit beside its row in the merchant's partition: <c>{batchId}|event|{sequence}</c>.</summary>
    internal static string EventRowPrefix(string batchId) => batchId + "|";

    public async Task<(IReadOnlyList<Versioned<Batch>> Items, int TotalCount)> ListAsync(string merchantId, int page, int pageSize,
        CancellationToken cancellationToken)
    {
        // A merchant's batches number in the thousands at most: count their keys, then read the one page.
        var ids = new List<string>();
        await foreach (var row in _batches.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {merchantId}"),
                           select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (!row.RowKey.Contains('|'))
            {
                ids.Add(row.RowKey); // not one of the batches' events
            }
        }

        var pageIds = ids.Skip((page - 1) * pageSize).Take(pageSize);
        var items = await Task.WhenAll(pageIds.Select(id => FindAsync(merchantId, id, cancellationToken)));
        return (items.OfType<Versioned<Batch>>().ToList(), ids.Count);
    }

    private static TableEntity BatchEntity(Batch batch) => new(batch.MerchantId, batch.BatchId)
    {
        ["Status"] = batch.Status.ToString(),
        ["CreatedAt"] = batch.CreatedAt,
        ["Document"] = JsonSerializer.Serialize(batch, StoredJson.Options),
    };

    private static Versioned<Batch> ReadBatch(TableEntity entity) =>
        new(JsonSerializer.Deserialize<Batch>(entity.GetString("Document"), StoredJson.Options)!, entity.ETag.ToString());
}
