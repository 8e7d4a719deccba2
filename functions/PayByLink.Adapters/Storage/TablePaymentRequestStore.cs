using System.Text.Json;
using System.Net;
using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Payment requests in Table Storage, every key starting with the merchant id: the request, its events and its sends
/// in the request's own partition of <c>PaymentRequests</c>, its reference's claim in <c>PaymentRequestClaims</c>
/// (<see cref="PaymentRequestRows"/>), and a row per list
/// filter value in <c>PaymentRequestIndex</c>, and the status row in <c>PaymentRequestStatus</c>
/// (<see cref="PaymentRequestIndexRows"/>), an index read as one key range a list call (<see cref="PaymentRequestListQuery"/>).
/// Small partitions keep every write and point read fast and spread a merchant's load; a list call reads one
/// filter value's key range and never the merchant's other requests. Status is the one listed field that changes,
/// so only the status row moves when it does; a list reads each row's status from its request, which is the truth.
/// </summary>
public sealed class TablePaymentRequestStore(StorageClients storage, StoredDocuments documents) : IPaymentRequestStore
{
    private readonly TableClient _requests = storage.Table(StorageNames.PaymentRequestsTable);
    private readonly TableClient _claims = storage.Table(StorageNames.PaymentRequestClaimsTable);
    private readonly PartitionWriter _indexWriter = new(storage.Table(StorageNames.PaymentRequestIndexTable));
    private readonly PartitionWriter _statusWriter = new(storage.Table(StorageNames.PaymentRequestStatusTable));

    public async Task<ReferenceClaim?> TryClaimReferenceAsync(PaymentRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await _claims.AddEntityAsync(PaymentRequestRows.Claim(request, now, documents), cancellationToken);
            return null;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            return await FindClaimAsync(request.MerchantId, request.ClientTransactionRef, cancellationToken)
                   ?? throw new InvalidOperationException("A reference claim that conflicted is gone: claims are never deleted.");
        }
    }

    public async Task<ReferenceClaim?> FindClaimAsync(string merchantId, string clientTransactionRef, CancellationToken cancellationToken)
    {
        var existing = await _claims.GetEntityIfExistsAsync<TableEntity>(PaymentRequestRows.ClaimPartition(merchantId, clientTransactionRef),
            PaymentRequestRows.ClaimRow, cancellationToken: cancellationToken);
        return existing.HasValue
            ? new ReferenceClaim(PaymentRequestRows.ReadDocument(existing.Value!, documents), existing.Value!.GetDateTimeOffset("ClaimedAt")!.Value)
            : null;
    }

    public async Task SaveAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await _requests.AddEntityAsync(PaymentRequestRows.Request(request, documents), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            // Saved before (a create finished again): as it stands, whatever it has become since.
        }

        await Task.WhenAll(PaymentRequestIndexRows.Fixed(request)
            .Select(e => _indexWriter.WriteAsync(new TableTransactionAction(TableTransactionActionType.UpsertReplace, e), cancellationToken))
            .Append(_statusWriter.WriteAsync(
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, PaymentRequestIndexRows.Status(request)), cancellationToken)));
    }

    public async Task<Versioned<PaymentRequest>?> FindAsync(string merchantId, string requestId, CancellationToken cancellationToken)
    {
        var response = await _requests.GetEntityIfExistsAsync<TableEntity>(PaymentRequestRows.Partition(merchantId, requestId),
            PaymentRequestRows.RequestRow, ["Document"], cancellationToken);
        return response.HasValue
            ? new Versioned<PaymentRequest>(PaymentRequestRows.ReadDocument(response.Value!, documents), response.Value!.ETag.ToString())
            : null;
    }

    /// <summary>A request's status, read alone: its row's <c>Status</c> column, or its document for a row written before it.</summary>
    private async Task<PaymentRequestStatus?> FindStatusAsync(string merchantId, string requestId, CancellationToken cancellationToken)
    {
        var response = await _requests.GetEntityIfExistsAsync<TableEntity>(PaymentRequestRows.Partition(merchantId, requestId),
            PaymentRequestRows.RequestRow, ["Status"], cancellationToken);
        return !response.HasValue ? null
            : PaymentRequestRows.ReadStatus(response.Value!) ?? (await FindAsync(merchantId, requestId, cancellationToken))?.Value.Status;
    }

    public async Task<bool> TryReplaceAsync(Versioned<PaymentRequest> current, PaymentRequest replacement, Versioned<DeliveryRecord>? delivery,
        DomainEvent change, CancellationToken cancellationToken)
    {
        List<TableTransactionAction> actions =
        [
            new(TableTransactionActionType.UpdateReplace, PaymentRequestRows.Request(replacement, documents), new ETag(current.Version)),
            new(TableTransactionActionType.Add, EventRows.Entity(PaymentRequestRows.Partition(replacement.MerchantId, replacement.RequestId), "", change, documents)),
        ];
        if (delivery is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, TableDeliveryStore.Entity(delivery.Value), new ETag(delivery.Version)));
        }

        try
        {
            await _requests.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound or (int)HttpStatusCode.Conflict)
        {
            return false;
        }

        // The request row is the truth; of its index rows only the status row depends on what changes.
        if (replacement.Status != current.Value.Status)
        {
            var (gone, added) = (PaymentRequestIndexRows.Status(current.Value), PaymentRequestIndexRows.Status(replacement));
            await Task.WhenAll(
                _statusWriter.WriteAsync(new TableTransactionAction(TableTransactionActionType.UpsertReplace, added), cancellationToken),
                _statusWriter.WriteAsync(new TableTransactionAction(TableTransactionActionType.Delete, gone, ETag.All), cancellationToken));
        }

        return true;
    }

    public async Task ReindexAsync(PaymentRequest before, PaymentRequest after, CancellationToken cancellationToken)
    {
        var kept = PaymentRequestIndexRows.Fixed(after).Select(r => r.PartitionKey).ToHashSet();
        await Task.WhenAll(PaymentRequestIndexRows.Fixed(after).Select(row =>
            _indexWriter.WriteAsync(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row), cancellationToken)));
        await Task.WhenAll(PaymentRequestIndexRows.Fixed(before).Where(r => !kept.Contains(r.PartitionKey)).Select(row =>
            _indexWriter.WriteAsync(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All), cancellationToken)));
        await _statusWriter.WriteAsync(new TableTransactionAction(TableTransactionActionType.UpsertReplace, PaymentRequestIndexRows.Status(after)),
            cancellationToken);
    }

    public async Task EraseCopiesAsync(PaymentRequest original, PaymentRequest erased, CancellationToken cancellationToken)
    {
        var erasedAt = erased.ErasedAt ?? throw new ArgumentException("The request is not erased.", nameof(erased));
        var partition = PaymentRequestRows.Partition(erased.MerchantId, erased.RequestId);
        await foreach (var row in _requests.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"),
                           cancellationToken: cancellationToken))
        {
            if (row.GetString("Data") is { } data)
            {
                row["Data"] = JsonSerializer.Serialize(JsonSerializer.Deserialize<EventData>(data, documents.Options)!.WithoutPersonalData(erasedAt),
                    documents.Options);
            }
            else if (row.ContainsKey("Recipient"))
            {
                row.Remove("Recipient");
            }
            else
            {
                continue;
            }

            // A send's record may change meanwhile (a late receipt); its change keeps what it read, so this one is not lost.
            await _requests.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace, cancellationToken);
        }

        await ReindexAsync(original, erased, cancellationToken);

        if (await FindClaimAsync(erased.MerchantId, erased.ClientTransactionRef, cancellationToken) is { } claim &&
            claim.Request.RequestId == erased.RequestId)
        {
            var row = PaymentRequestRows.Claim(claim.Request.WithoutPersonalData(erasedAt), claim.ClaimedAt, documents);
            await _claims.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace, cancellationToken);
        }
    }

    public async Task<PaymentRequestPage> ListAsync(string merchantId, PaymentRequestFilter filter, int pageSize,
        string? continuationToken, CancellationToken cancellationToken)
    {
        if (filter.ClientTransactionRef is { } reference)
        {
            return await ListByReferenceAsync(merchantId, reference, filter, cancellationToken);
        }

        var query = PaymentRequestListQuery.For(merchantId, filter);
        var after = query.After(continuationToken);
        var rowFilter = query.Filter + (after is { } last
            ? " and " + TableClient.CreateQueryFilter($"((PartitionKey eq {last.Partition} and RowKey gt {last.Row}) or PartitionKey gt {last.Partition})")
            : "");
        var items = new List<PaymentRequestSummary>(pageSize);
        var exhausted = true;
        var index = storage.Table(query.Table);
        await foreach (var page in index.QueryAsync<TableEntity>(rowFilter, pageSize, PaymentRequestIndexRows.Columns, cancellationToken).AsPages(null, pageSize))
        {
            // Each row's request gives its status: a status filter is checked there, so a row left behind by an
            // interrupted status change is never listed under the wrong status.
            var rows = page.Values;
            var found = await Task.WhenAll(rows.Select(r => FindStatusAsync(merchantId, r.GetString("RequestId"), cancellationToken)));
            var used = 0;
            while (used < rows.Count && items.Count < pageSize)
            {
                after = (rows[used].PartitionKey, rows[used].RowKey);
                if (found[used] is { } current && (filter.Status is not { } status || current == status))
                {
                    items.Add(PaymentRequestIndexRows.ReadSummary(rows[used], current));
                }

                used++;
            }

            if (items.Count == pageSize)
            {
                exhausted = used == rows.Count && page.ContinuationToken is null;
                break;
            }
        }

        return new PaymentRequestPage(items, exhausted ? null : query.Token(after!.Value));
    }

    private async Task<PaymentRequestPage> ListByReferenceAsync(string merchantId, string reference, PaymentRequestFilter filter,
        CancellationToken cancellationToken)
    {
        var claim = await _claims.GetEntityIfExistsAsync<TableEntity>(PaymentRequestRows.ClaimPartition(merchantId, reference),
            PaymentRequestRows.ClaimRow, ["RequestId"], cancellationToken);
        var request = claim.HasValue ? (await FindAsync(merchantId, claim.Value!.GetString("RequestId"), cancellationToken))?.Value : null;
        return new PaymentRequestPage(
            request is not null && PaymentRequestListQuery.Matches(request, filter) ? [PaymentRequestIndexRows.Summary(request)] : [], null);
    }
}
