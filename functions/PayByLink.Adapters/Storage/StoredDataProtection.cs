using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PayByLink.Adapters.Secrets;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Brings rows stored in clear, or encrypted under a key being rotated out, under the current protection: the link
/// rows (<see cref="TablePaymentLinkStore"/>), the opt-outs (<see cref="TableOptOutStore"/>), webhook signing secrets
/// (<see cref="TableWebhookStore"/>), and the request
/// documents, claims and events that carry a request's short code and token (<see cref="StoredDocuments"/>). Run at
/// start and by the admin commands; a marker row records the key everything was last brought under, so once done it
/// costs one point read. Safe to repeat and to run beside live traffic: a row changed meanwhile was written protected.
/// </summary>
public sealed class StoredDataProtection(StorageClients storage, TablePaymentLinkStore links, TableOptOutStore optOuts, TableWebhookStore webhooks,
    StoredDocuments documents, SecretProtector protector)
{
    private const string MarkerPartition = "~layout", MarkerRow = "protected";
    private readonly TableClient _links = storage.Table(StorageNames.PaymentLinksTable);

    /// <summary>The number of rows rewritten.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var marker = await _links.GetEntityIfExistsAsync<TableEntity>(MarkerPartition, MarkerRow, cancellationToken: cancellationToken);
        if (marker.HasValue && marker.Value!.GetString("KeyId") == protector.CurrentKeyId)
        {
            return 0;
        }

        var rewritten = await webhooks.ProtectStoredSecretsAsync(cancellationToken);
        rewritten += await links.ProtectStoredLinksAsync(cancellationToken);
        rewritten += await optOuts.ProtectStoredOptOutsAsync(cancellationToken);
        rewritten += await RewriteAsync(storage.Table(StorageNames.PaymentRequestsTable), cancellationToken);
        rewritten += await RewriteAsync(storage.Table(StorageNames.PaymentRequestClaimsTable), cancellationToken);
        await _links.UpsertEntityAsync(new TableEntity(MarkerPartition, MarkerRow) { ["KeyId"] = protector.CurrentKeyId }, TableUpdateMode.Replace,
            cancellationToken);
        return rewritten;
    }

    private async Task<int> RewriteAsync(TableClient table, CancellationToken cancellationToken)
    {
        var rewritten = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "Document", "Data"], cancellationToken: cancellationToken))
        {
            var changed = new TableEntity(row.PartitionKey, row.RowKey);
            if (row.GetString("Document") is { } document && Stale(JsonSerializer.Deserialize<PaymentRequest>(document, StoredJson.Options)))
            {
                changed["Document"] = JsonSerializer.Serialize(JsonSerializer.Deserialize<PaymentRequest>(document, documents.Options), documents.Options);
            }
            else if (row.GetString("Data") is { } data && Stale(JsonSerializer.Deserialize<EventData>(data, StoredJson.Options)?.Request))
            {
                changed["Data"] = JsonSerializer.Serialize(JsonSerializer.Deserialize<EventData>(data, documents.Options), documents.Options);
            }
            else
            {
                continue;
            }

            try
            {
                await table.UpdateEntityAsync(changed, row.ETag, TableUpdateMode.Merge, cancellationToken);
                rewritten++;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Changed or removed meanwhile: whatever wrote it wrote it protected.
            }
        }

        return rewritten;
    }

    private bool Stale(PaymentRequest? request) =>
        request is not null && !(protector.IsCurrent(request.ShortCode) && protector.IsCurrent(request.PaymentToken));
}
