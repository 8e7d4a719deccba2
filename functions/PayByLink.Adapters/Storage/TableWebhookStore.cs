using PayByLink.Core.Ports;
using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Domain;
using PayByLink.Core.Webhooks;
using PayByLink.Adapters.Secrets;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Webhook endpoints and deliveries in the <c>Webhooks</c> table: a merchant's endpoints in its partition
/// (<c>{merchant}</c>, rows <c>endpoint|{id}</c>); an endpoint's deliveries in its own partition
/// (<c>{merchant}|{endpointId}</c>), keyed newest event first (<c>{time counted down}|{eventId}</c>), so a worker
/// reads one with a point read and a list reads the newest first. An endpoint's signing secrets are stored encrypted
/// (<see cref="SecretProtector"/>); one stored before that is read as it is, and encrypted by
/// <see cref="ProtectStoredSecretsAsync"/> (run by <see cref="StoredDataProtection"/> at start and in the admin commands, until
/// done under the current key) or its next change.
/// </summary>
public sealed class TableWebhookStore(StorageClients storage, SecretProtector protector) : IWebhookStore
{
    private const string EndpointPrefix = "endpoint|";

    private readonly TableClient _table = storage.Table(StorageNames.WebhooksTable);

    public Task AddEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken) =>
        _table.AddEntityAsync(EndpointEntity(endpoint), cancellationToken);

    public async Task<IReadOnlyList<Versioned<WebhookEndpoint>>> ListEndpointsAsync(string merchantId, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {merchantId} and RowKey gt {EndpointPrefix} and RowKey lt {EndpointPrefix[..^1] + "}"}");
        var endpoints = new List<Versioned<WebhookEndpoint>>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            endpoints.Add(ReadEndpoint(row));
        }

        return endpoints;
    }

    public async Task<Versioned<WebhookEndpoint>?> FindEndpointAsync(string merchantId, string endpointId, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(merchantId, EndpointPrefix + endpointId, cancellationToken: cancellationToken);
        return row.HasValue ? ReadEndpoint(row.Value!) : null;
    }

    public async Task<bool> TryReplaceEndpointAsync(Versioned<WebhookEndpoint> current, WebhookEndpoint replacement, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpdateEntityAsync(EndpointEntity(replacement), new ETag(current.Version), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<bool> DeleteEndpointAsync(string merchantId, string endpointId, CancellationToken cancellationToken)
    {
        // The client answers a row that is not there with 404 rather than an exception.
        var response = await _table.DeleteEntityAsync(merchantId, EndpointPrefix + endpointId, ETag.All, cancellationToken);
        return response.Status != (int)HttpStatusCode.NotFound;
    }

    public async Task<Versioned<WebhookDelivery>?> FindDeliveryAsync(string merchantId, string endpointId, string eventId, DateTimeOffset eventCreatedAt,
        CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(DeliveryPartition(merchantId, endpointId), DeliveryRow(eventCreatedAt, eventId),
            cancellationToken: cancellationToken);
        return row.HasValue ? new Versioned<WebhookDelivery>(ReadDelivery(row.Value!), row.Value!.ETag.ToString()) : null;
    }

    public async Task<string?> TrySaveDeliveryAsync(WebhookDelivery delivery, string? version, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(DeliveryPartition(delivery.MerchantId, delivery.EndpointId), DeliveryRow(delivery.EventCreatedAt, delivery.EventId))
        {
            ["Document"] = JsonSerializer.Serialize(delivery, StoredJson.Options),
        };
        try
        {
            var response = version is null
                ? await _table.AddEntityAsync(entity, cancellationToken)
                : await _table.UpdateEntityAsync(entity, new ETag(version), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return null;
        }
    }

    public async Task<(IReadOnlyList<WebhookDelivery> Items, string? ContinuationToken)> ListDeliveriesAsync(string merchantId, string endpointId,
        int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var (rows, next) = await TableKeys.PageAsync(_table, DeliveryPartition(merchantId, endpointId), null, pageSize, continuationToken,
            cancellationToken);
        return (rows.Select(ReadDelivery).ToList(), next);
    }

    private static string DeliveryPartition(string merchantId, string endpointId) => $"{merchantId}|{endpointId}";

    private static string DeliveryRow(DateTimeOffset eventCreatedAt, string eventId) => TableKeys.NewestFirst(eventCreatedAt) + "|" + eventId;

    /// <summary>
    /// Encrypts with the current key every endpoint secret stored in clear or under an earlier key; each row is rewritten
    /// with its ETag, so a change made meanwhile is kept (and was encrypted by its own write). Safe to repeat.
    /// </summary>
    /// <returns>How many endpoints were rewritten.</returns>
    public async Task<int> ProtectStoredSecretsAsync(CancellationToken cancellationToken)
    {
        var rewritten = 0;
        var filter = TableClient.CreateQueryFilter($"RowKey gt {EndpointPrefix} and RowKey lt {EndpointPrefix[..^1] + "}"}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var stored = JsonSerializer.Deserialize<WebhookEndpoint>(row.GetString("Document"), StoredJson.Options)!;
            if (protector.IsCurrent(stored.Secret) && (stored.PreviousSecret is null || protector.IsCurrent(stored.PreviousSecret)))
            {
                continue;
            }

            try
            {
                await _table.UpdateEntityAsync(EndpointEntity(ReadEndpoint(row).Value), row.ETag, TableUpdateMode.Replace, cancellationToken);
                rewritten++;
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.PreconditionFailed)
            {
                // Changed meanwhile, and so written encrypted.
            }
        }

        return rewritten;
    }

    private TableEntity EndpointEntity(WebhookEndpoint endpoint) => new(endpoint.MerchantId, EndpointPrefix + endpoint.EndpointId)
    {
        ["Document"] = JsonSerializer.Serialize(WithSecrets(endpoint, protector.Protect), StoredJson.Options),
    };

    private Versioned<WebhookEndpoint> ReadEndpoint(TableEntity row) =>
        new(WithSecrets(JsonSerializer.Deserialize<WebhookEndpoint>(row.GetString("Document"), StoredJson.Options)!, protector.Unprotect),
            row.ETag.ToString());

    /// <summary>The endpoint with its secret and previous secret each passed through <paramref name="change"/>.</summary>
    private static WebhookEndpoint WithSecrets(WebhookEndpoint endpoint, Func<string, string> change) => endpoint with
    {
        Secret = change(endpoint.Secret),
        PreviousSecret = endpoint.PreviousSecret is { } previous ? change(previous) : null,
    };

    private static WebhookDelivery ReadDelivery(TableEntity row) => JsonSerializer.Deserialize<WebhookDelivery>(row.GetString("Document"), StoredJson.Options)!;
}
