using Azure.Data.Tables;
using PayByLink.Core.Events;

namespace PayByLink.Adapters.Storage;

/// <summary>The event log: a request's events in its partition of <c>PaymentRequests</c>, a batch's beside it in <c>Batches</c>.</summary>
public sealed class TableEventLog(StorageClients storage, StoredDocuments documents) : IEventLog
{
    private readonly TableClient _requests = storage.Table(StorageNames.PaymentRequestsTable);
    private readonly TableClient _batches = storage.Table(StorageNames.BatchesTable);

    public async Task<IReadOnlyList<DomainEvent>> ListAsync(string merchantId, string subjectId, CancellationToken cancellationToken)
    {
        if (EventIds.IsBatch(subjectId))
        {
            return await EventRows.ListAsync(_batches, merchantId, TableBatchStore.EventRowPrefix(subjectId), merchantId, subjectId, documents, cancellationToken);
        }

        // The request's row is the record of its created event; the rows after it, of the rest.
        var (events, request) = await EventRows.ListWithRowAsync(_requests, PaymentRequestRows.Partition(merchantId, subjectId), "", PaymentRequestRows.RequestRow,
            merchantId, subjectId, documents, cancellationToken);
        if (request is not null && PaymentRequestRows.ReadCreated(request, documents) is { } created && events.All(e => e.Sequence != 1))
        {
            return [created, .. events];
        }

        return events;
    }
}
