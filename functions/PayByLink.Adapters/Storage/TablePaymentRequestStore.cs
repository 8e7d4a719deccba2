using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Payment requests in one table, one partition per merchant. Beside each request the same transaction writes
/// one index entity per list filter (row key = filter value, then newest first), each carrying the list
/// projection, so a list call is one range query over one index and reads only the rows of its page.
/// </summary>
public sealed class TablePaymentRequestStore(StorageClients storage) : IPaymentRequestStore
{
    private static readonly JsonSerializerOptions DocumentJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly string[] ProjectionColumns =
    [
        "RequestId", "ClientTransactionRef", "Status", "Amount", "Currency", "AccountReference", "CustomerName",
        "CreatedAt", "ExpiresAt",
    ];

    private readonly TableClient _table = storage.Table(StorageNames.PaymentRequestsTable);

    public async Task<PaymentRequest?> AddAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, MainEntity(request)) };
        actions.AddRange(IndexEntities(request).Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken);
            return null;
        }
        catch (TableTransactionFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            // Only the reference row can already exist: every other row key carries the new request id.
            return await FindByReferenceAsync(request.MerchantId, request.ClientTransactionRef, cancellationToken)
                   ?? throw new InvalidOperationException("A reference conflicted but its request could not be read.", e);
        }
    }

    public async Task<Versioned<PaymentRequest>?> FindAsync(string merchantId, string requestId, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(merchantId, MainKey(requestId), ["Document"], cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var entity = response.Value!;
        return new Versioned<PaymentRequest>(ReadDocument(entity), entity.ETag.ToString());
    }

    public async Task<bool> TryReplaceAsync(Versioned<PaymentRequest> current, PaymentRequest replacement, CancellationToken cancellationToken)
    {
        var before = current.Value;
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, MainEntity(replacement), new ETag(current.Version)),
        };

        var oldIndexes = IndexEntities(before).ToDictionary(e => e.RowKey);
        foreach (var entity in IndexEntities(replacement))
        {
            actions.Add(oldIndexes.Remove(entity.RowKey)
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity)
                : new TableTransactionAction(TableTransactionActionType.Add, entity));
        }

        actions.AddRange(oldIndexes.Values.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)));
        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public async Task<PaymentRequestPage> ListAsync(string merchantId, PaymentRequestFilter filter, int pageSize,
        string? continuationToken, CancellationToken cancellationToken)
    {
        var query = ListQuery.For(merchantId, filter);
        var tableToken = ContinuationToken.Read(continuationToken, query.Fingerprint);
        var items = new List<PaymentRequestSummary>(pageSize);
        do
        {
            var remaining = pageSize - items.Count;
            var pages = _table.QueryAsync<TableEntity>(query.Filter, remaining, ProjectionColumns, cancellationToken)
                .AsPages(tableToken, remaining);
            await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
            if (!await enumerator.MoveNextAsync())
            {
                tableToken = null;
                break;
            }

            items.AddRange(enumerator.Current.Values.Take(remaining).Select(ReadSummary));
            tableToken = enumerator.Current.ContinuationToken;
        }
        while (tableToken is not null && items.Count < pageSize);

        return new PaymentRequestPage(items, ContinuationToken.Write(tableToken, query.Fingerprint));
    }

    private async Task<PaymentRequest?> FindByReferenceAsync(string merchantId, string reference, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(merchantId, ReferenceKey(reference), ["RequestId"], cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        return (await FindAsync(merchantId, row.Value!.GetString("RequestId"), cancellationToken))?.Value;
    }

    private static string MainKey(string requestId) => "req|" + requestId;

    private static string ReferenceKey(string reference) => "ref|" + TableKeys.Escape(reference);

    private static string IndexPrefix(string index, string value) => $"ix|{index}|{TableKeys.Escape(value)}|";

    private static TableEntity MainEntity(PaymentRequest request)
    {
        var entity = Projection(request, MainKey(request.RequestId));
        entity["Document"] = JsonSerializer.Serialize(request, DocumentJson);
        return entity;
    }

    /// <summary>The reference row (unique per merchant, so it makes creates idempotent) and one row per filter value.</summary>
    private static IEnumerable<TableEntity> IndexEntities(PaymentRequest request)
    {
        var c = request.Content;
        var newestFirst = TableKeys.NewestFirst(request.CreatedAt) + "|" + request.RequestId;
        var rowKeys = new List<string>
        {
            ReferenceKey(c.ClientTransactionRef),
            "ix|created|" + newestFirst,
            IndexPrefix("status", request.Status.ToString()) + newestFirst,
            IndexPrefix("amount", Amounts.Canonical(c.Amount)) + newestFirst,
            IndexPrefix("account", c.AccountReference) + newestFirst,
        };
        rowKeys.AddRange(NameKeys(c.Customer).Select(name => IndexPrefix("name", name) + newestFirst));
        if (c.Customer.MobileNumber is { } mobile)
        {
            rowKeys.Add(IndexPrefix("mobile", mobile) + newestFirst);
        }

        return rowKeys.Select(rowKey => Projection(request, rowKey));
    }

    private static IEnumerable<string> NameKeys(Customer customer) =>
        new[] { customer.FirstName, customer.LastName, customer.FullName }.Select(PaymentRequestFilter.NameKey).Distinct();

    private static TableEntity Projection(PaymentRequest request, string rowKey)
    {
        var c = request.Content;
        var names = NameKeys(c.Customer).ToArray();
        return new TableEntity(request.MerchantId, rowKey)
        {
            ["RequestId"] = request.RequestId,
            ["ClientTransactionRef"] = c.ClientTransactionRef,
            ["Status"] = request.Status.ToString(),
            ["Amount"] = Amounts.Canonical(c.Amount),
            ["Currency"] = c.Currency,
            ["AccountReference"] = c.AccountReference,
            ["CustomerName"] = c.Customer.FullName,
            ["FirstNameKey"] = PaymentRequestFilter.NameKey(c.Customer.FirstName),
            ["LastNameKey"] = PaymentRequestFilter.NameKey(c.Customer.LastName),
            ["FullNameKey"] = PaymentRequestFilter.NameKey(c.Customer.FullName),
            ["MobileNumber"] = c.Customer.MobileNumber ?? "",
            ["CreatedAt"] = request.CreatedAt,
            ["ExpiresAt"] = c.ExpiresAt,
        };
    }

    private static PaymentRequest ReadDocument(TableEntity entity) =>
        JsonSerializer.Deserialize<PaymentRequest>(entity.GetString("Document"), DocumentJson)
        ?? throw new InvalidOperationException($"Request row {entity.RowKey} has no document.");

    private static PaymentRequestSummary ReadSummary(TableEntity e) => new(
        e.GetString("RequestId"),
        e.GetString("ClientTransactionRef"),
        Enum.Parse<PaymentRequestStatus>(e.GetString("Status")),
        Amounts.Parse(e.GetString("Amount")),
        e.GetString("Currency"),
        e.GetString("AccountReference"),
        e.GetString("CustomerName"),
        e.GetDateTimeOffset("CreatedAt")!.Value,
        e.GetDateTimeOffset("ExpiresAt")!.Value);

    /// <summary>The one index a filter reads, its key range, and the other filters applied within that range.</summary>
    private sealed record ListQuery(string Filter, string Fingerprint)
    {
        public static ListQuery For(string merchantId, PaymentRequestFilter f)
        {
            var conditions = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {merchantId}") };
            string? used = null;
            if (f.ClientTransactionRef is { } reference)
            {
                used = nameof(f.ClientTransactionRef);
                conditions.Add(TableClient.CreateQueryFilter($"RowKey eq {ReferenceKey(reference)}"));
                if (f.CreatedFrom is { } from)
                {
                    conditions.Add(TableClient.CreateQueryFilter($"CreatedAt ge {from}"));
                }

                if (f.CreatedTo is { } to)
                {
                    conditions.Add(TableClient.CreateQueryFilter($"CreatedAt le {to}"));
                }
            }
            else
            {
                var prefix = f switch
                {
                    { MobileNumber: { } mobile } => Use(nameof(f.MobileNumber), IndexPrefix("mobile", mobile)),
                    { AccountReference: { } account } => Use(nameof(f.AccountReference), IndexPrefix("account", account)),
                    { CustomerName: { } name } => Use(nameof(f.CustomerName), IndexPrefix("name", name)),
                    { Amount: { } amount } => Use(nameof(f.Amount), IndexPrefix("amount", Amounts.Canonical(amount))),
                    { Status: { } status } => Use(nameof(f.Status), IndexPrefix("status", status.ToString())),
                    _ => Use(nameof(f.CreatedFrom), "ix|created|"),
                };

                // Newest first: the latest allowed time is the lower key bound, the earliest the upper.
                var lower = f.CreatedTo is { } createdTo ? prefix + TableKeys.NewestFirst(createdTo) : prefix;
                var upper = f.CreatedFrom is { } createdFrom ? prefix + TableKeys.NewestFirst(createdFrom) + "}" : TableKeys.PrefixEnd(prefix);
                conditions.Add(TableClient.CreateQueryFilter($"RowKey ge {lower} and RowKey lt {upper}"));
            }

            if (f.MobileNumber is { } m && used != nameof(f.MobileNumber))
            {
                conditions.Add(TableClient.CreateQueryFilter($"MobileNumber eq {m}"));
            }

            if (f.AccountReference is { } a && used != nameof(f.AccountReference))
            {
                conditions.Add(TableClient.CreateQueryFilter($"AccountReference eq {a}"));
            }

            if (f.CustomerName is { } n && used != nameof(f.CustomerName))
            {
                conditions.Add(TableClient.CreateQueryFilter($"(FirstNameKey eq {n} or LastNameKey eq {n} or FullNameKey eq {n})"));
            }

            if (f.Amount is { } amt && used != nameof(f.Amount))
            {
                conditions.Add(TableClient.CreateQueryFilter($"Amount eq {Amounts.Canonical(amt)}"));
            }

            if (f.Status is { } s && used != nameof(f.Status))
            {
                conditions.Add(TableClient.CreateQueryFilter($"Status eq {s.ToString()}"));
            }

            var filter = string.Join(" and ", conditions);
            var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(filter)), 0, 12);
            return new ListQuery(filter, fingerprint);

            string Use(string name, string indexPrefix)
            {
                used = name;
                return indexPrefix;
            }
        }
    }

    /// <summary>An opaque token: the table's own continuation, bound to the query it continues.</summary>
    private static class ContinuationToken
    {
        public static string? Write(string? tableToken, string fingerprint) =>
            tableToken is null ? null : Base64Url(Encoding.UTF8.GetBytes(fingerprint + "\n" + tableToken));

        public static string? Read(string? token, string fingerprint)
        {
            if (token is null)
            {
                return null;
            }

            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/').PadRight((token.Length + 3) / 4 * 4, '=')));
                var parts = text.Split('\n', 2);
                if (parts.Length == 2 && parts[0] == fingerprint && parts[1].Length > 0)
                {
                    return parts[1];
                }
            }
            catch (FormatException)
            {
            }

            throw new InvalidContinuationTokenException();
        }

        private static string Base64Url(byte[] bytes) =>
            Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
