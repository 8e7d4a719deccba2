using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Payment requests in Table Storage, every key starting with the merchant id.
/// <list type="bullet">
/// <item><c>PaymentRequests</c>: one partition per request (<c>{merchant}|{requestId}</c>) holding the request, and
/// its sends' delivery records (<see cref="TableDeliveryStore"/>), and one per client transaction reference
/// (<c>{merchant}|ref|{ref}</c>) holding the claim that makes creates idempotent.</item>
/// <item><c>PaymentRequestIndex</c>: for each list filter value a partition (<c>{merchant}|{filter}|{value}</c>) of
/// rows keyed newest first, each carrying the fields a list shows that never change. Status and creation time, the
/// filters whose values every request shares, get a partition per value and second of creation
/// (<c>…|{second, counted down}</c>), read together as one key range, newest first.</item>
/// </list>
/// Small partitions keep every write and point read fast and spread a merchant's load; a list call reads one
/// filter value's key range and never the merchant's other requests. Status is the one listed field that changes,
/// so only the status row moves when it does; a list reads each row's status from its request, which is the truth.
/// </summary>
public sealed class TablePaymentRequestStore(StorageClients storage) : IPaymentRequestStore
{
    private static readonly string[] ProjectionColumns =
    [
        "PartitionKey", "RowKey", "RequestId", "ClientTransactionRef", "Amount", "Currency", "AccountReference", "CustomerName",
        "CreatedAt", "ExpiresAt",
    ];

    private readonly TableClient _requests = storage.Table(StorageNames.PaymentRequestsTable);
    private readonly TableClient _index = storage.Table(StorageNames.PaymentRequestIndexTable);
    private readonly PartitionWriter _indexWriter = new(storage.Table(StorageNames.PaymentRequestIndexTable));

    public async Task<ReferenceClaim?> TryClaimReferenceAsync(PaymentRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claim = ClaimEntity(request, now);
        try
        {
            await _requests.AddEntityAsync(claim, cancellationToken);
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
        var existing = await _requests.GetEntityIfExistsAsync<TableEntity>(ReferenceKey(merchantId, clientTransactionRef), "ref",
            cancellationToken: cancellationToken);
        return existing.HasValue
            ? new ReferenceClaim(ReadDocument(existing.Value!), existing.Value!.GetDateTimeOffset("ClaimedAt")!.Value)
            : null;
    }

    public async Task SaveAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await _requests.AddEntityAsync(MainEntity(request), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            // Saved before (a create finished again): as it stands, whatever it has become since.
        }

        await Task.WhenAll(IndexEntities(request)
            .Select(e => _indexWriter.WriteAsync(new TableTransactionAction(TableTransactionActionType.UpsertReplace, e), cancellationToken)));
    }

    public async Task<Versioned<PaymentRequest>?> FindAsync(string merchantId, string requestId, CancellationToken cancellationToken)
    {
        var response = await _requests.GetEntityIfExistsAsync<TableEntity>(MainKey(merchantId, requestId), "request", ["Document"], cancellationToken);
        return response.HasValue ? new Versioned<PaymentRequest>(ReadDocument(response.Value!), response.Value!.ETag.ToString()) : null;
    }

    public async Task<bool> TryReplaceAsync(Versioned<PaymentRequest> current, PaymentRequest replacement, Versioned<DeliveryRecord>? delivery,
        DomainEvent change, CancellationToken cancellationToken)
    {
        List<TableTransactionAction> actions =
        [
            new(TableTransactionActionType.UpdateReplace, MainEntity(replacement), new ETag(current.Version)),
            new(TableTransactionActionType.Add, EventRows.Entity(MainKey(replacement.MerchantId, replacement.RequestId), "", change)),
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
            var (gone, added) = (StatusIndexEntity(current.Value), StatusIndexEntity(replacement));
            await Task.WhenAll(
                _indexWriter.WriteAsync(new TableTransactionAction(TableTransactionActionType.UpsertReplace, added), cancellationToken),
                _indexWriter.WriteAsync(new TableTransactionAction(TableTransactionActionType.Delete, gone, ETag.All), cancellationToken));
        }

        return true;
    }

    public async Task<PaymentRequestPage> ListAsync(string merchantId, PaymentRequestFilter filter, int pageSize,
        string? continuationToken, CancellationToken cancellationToken)
    {
        if (filter.ClientTransactionRef is { } reference)
        {
            return await ListByReferenceAsync(merchantId, reference, filter, cancellationToken);
        }

        var query = ListQuery.For(merchantId, filter);
        var fingerprint = Fingerprint(merchantId, query, filter.Status);
        var after = ContinuationToken.Read(continuationToken, fingerprint);
        var rowFilter = query.Filter + (after is { } last
            ? " and " + TableClient.CreateQueryFilter($"((PartitionKey eq {last.Partition} and RowKey gt {last.Row}) or PartitionKey gt {last.Partition})")
            : "");
        var items = new List<PaymentRequestSummary>(pageSize);
        var exhausted = true;
        await foreach (var page in _index.QueryAsync<TableEntity>(rowFilter, pageSize, ProjectionColumns, cancellationToken).AsPages(null, pageSize))
        {
            // Each row's request gives its status: a status filter is checked there, so a row left behind by an
            // interrupted status change is never listed under the wrong status.
            var rows = page.Values;
            var found = await Task.WhenAll(rows.Select(r => FindAsync(merchantId, r.GetString("RequestId"), cancellationToken)));
            var used = 0;
            while (used < rows.Count && items.Count < pageSize)
            {
                after = (rows[used].PartitionKey, rows[used].RowKey);
                if (found[used]?.Value is { } request && (filter.Status is not { } status || request.Status == status))
                {
                    items.Add(ReadSummary(rows[used], request.Status));
                }

                used++;
            }

            if (items.Count == pageSize)
            {
                exhausted = used == rows.Count && page.ContinuationToken is null;
                break;
            }
        }

        return new PaymentRequestPage(items, exhausted ? null : ContinuationToken.Write(after!.Value, fingerprint));
    }

    private async Task<PaymentRequestPage> ListByReferenceAsync(string merchantId, string reference, PaymentRequestFilter filter,
        CancellationToken cancellationToken)
    {
        var claim = await _requests.GetEntityIfExistsAsync<TableEntity>(ReferenceKey(merchantId, reference), "ref", ["RequestId"], cancellationToken);
        var request = claim.HasValue ? (await FindAsync(merchantId, claim.Value!.GetString("RequestId"), cancellationToken))?.Value : null;
        return new PaymentRequestPage(request is not null && Matches(request, filter) ? [Summary(request)] : [], null);
    }

    /// <summary>Whether a request passes every filter: the same conditions a list's query asks of its index rows.</summary>
    private static bool Matches(PaymentRequest request, PaymentRequestFilter f) =>
        ListQuery.Conditions(f).All(c => c.Matches(request)) &&
        (f.Status is not { } status || request.Status == status) &&
        (f.CreatedFrom is not { } from || request.CreatedAt >= from) &&
        (f.CreatedTo is not { } to || request.CreatedAt <= to);

    internal static TableEntity ClaimEntity(PaymentRequest request, DateTimeOffset now) =>
        new(ReferenceKey(request.MerchantId, request.ClientTransactionRef), "ref")
        {
            ["RequestId"] = request.RequestId,
            ["ClaimedAt"] = now,
            ["Document"] = JsonSerializer.Serialize(request, DocumentJson.Options),
        };

    internal static string MainKey(string merchantId, string requestId) => $"{merchantId}|{requestId}";

    private static string ReferenceKey(string merchantId, string reference) => $"{merchantId}|ref|{TableKeys.Escape(reference)}";

    /// <summary>
    /// The partition of a filter value's index rows. Status and creation time are shared by every request, so their
    /// rows are split by the second of creation, counted down so that a key range reads them newest first.
    /// </summary>
    private static string IndexPartition(string merchantId, string index, string value, DateTimeOffset createdAt) =>
        BySecond(index) ? IndexPrefix(merchantId, index, value) + Second(createdAt) : IndexPrefix(merchantId, index, value)[..^1];

    private static bool BySecond(string index) => index is "status" or "created";

    private static string IndexPrefix(string merchantId, string index, string value) => $"{merchantId}|{index}|{TableKeys.Escape(value)}|";

    private static string Second(DateTimeOffset time) => TableKeys.NewestFirst(new DateTimeOffset(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero));

    internal static TableEntity MainEntity(PaymentRequest request) => new(MainKey(request.MerchantId, request.RequestId), "request")
    {
        ["Document"] = JsonSerializer.Serialize(request, DocumentJson.Options),
    };

    /// <summary>One row per filter value the request can be found by, in that value's partition.</summary>
    internal static IEnumerable<TableEntity> IndexEntities(PaymentRequest request)
    {
        var c = request.Content;
        var values = new List<(string Index, string Value)>
        {
            ("created", ""),
            ("status", request.Status.ToString()),
            ("amount", Amounts.Canonical(c.Amount)),
            ("account", c.AccountReference),
        };
        values.AddRange(c.Customer.NameKeys().Select(name => ("name", name)));
        if (c.Customer.MobileNumber is { } mobile)
        {
            values.Add(("mobile", mobile));
        }

        return values.Select(v => Projection(request, IndexPartition(request.MerchantId, v.Index, v.Value, request.CreatedAt)));
    }

    private static TableEntity StatusIndexEntity(PaymentRequest request) =>
        Projection(request, IndexPartition(request.MerchantId, "status", request.Status.ToString(), request.CreatedAt));

    private static TableEntity Projection(PaymentRequest request, string partitionKey)
    {
        var c = request.Content;
        return new TableEntity(partitionKey, TableKeys.NewestFirst(request.CreatedAt) + "|" + request.RequestId)
        {
            ["RequestId"] = request.RequestId,
            ["ClientTransactionRef"] = c.ClientTransactionRef,
            ["Amount"] = Amounts.Canonical(c.Amount),
            ["Currency"] = c.Currency,
            ["AccountReference"] = c.AccountReference,
            ["CustomerName"] = c.Customer.FullName,
            ["FirstNameKey"] = Customer.NameKey(c.Customer.FirstName),
            ["LastNameKey"] = Customer.NameKey(c.Customer.LastName),
            ["FullNameKey"] = Customer.NameKey(c.Customer.FullName),
            ["MobileNumber"] = c.Customer.MobileNumber ?? "",
            ["CreatedAt"] = request.CreatedAt,
            ["ExpiresAt"] = c.ExpiresAt,
        };
    }

    /// <summary>The created event a request row records; none for a request saved before requests had events.</summary>
    internal static DomainEvent? ReadCreated(TableEntity requestRow) =>
        ReadDocument(requestRow) is { EventCount: >= 1 } request ? RequestCreated.Event(request) : null;

    private static PaymentRequest ReadDocument(TableEntity entity) =>
        JsonSerializer.Deserialize<PaymentRequest>(entity.GetString("Document"), DocumentJson.Options)
        ?? throw new InvalidOperationException($"Row {entity.PartitionKey} has no document.");

    private static PaymentRequestSummary Summary(PaymentRequest r) => new(
        r.RequestId, r.ClientTransactionRef, r.Status, r.Content.Amount, r.Content.Currency, r.Content.AccountReference,
        r.Content.Customer.FullName, r.CreatedAt, r.Content.ExpiresAt);

    private static PaymentRequestSummary ReadSummary(TableEntity e, PaymentRequestStatus status) => new(
        e.GetString("RequestId"),
        e.GetString("ClientTransactionRef"),
        status,
        Amounts.Parse(e.GetString("Amount")),
        e.GetString("Currency"),
        e.GetString("AccountReference"),
        e.GetString("CustomerName"),
        e.GetDateTimeOffset("CreatedAt")!.Value,
        e.GetDateTimeOffset("ExpiresAt")!.Value);

    private static string Fingerprint(string merchantId, ListQuery query, PaymentRequestStatus? status) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{merchantId}\n{query.Filter}\n{status}")), 0, 12);

    /// <summary>
    /// The one index a filter reads (the most selective it names) as a table filter: its key range, and the other
    /// filters but status, applied by the table service to that index's rows only (status is checked on each row's
    /// request).
    /// </summary>
    internal sealed record ListQuery(string Filter)
    {
        /// <summary>
        /// A filter on a field that has an index of its own, defined once: the index and value it reads, the condition
        /// the table service checks on another index's rows, and the check of a request in memory.
        /// </summary>
        public sealed record Condition(string Index, string Value, FormattableString Row, Func<PaymentRequest, bool> Matches);

        /// <summary>The filter's indexed conditions, the most selective first.</summary>
        public static IEnumerable<Condition> Conditions(PaymentRequestFilter f)
        {
            if (f.MobileNumber is { } mobile)
            {
                yield return new("mobile", mobile, $"MobileNumber eq {mobile}", r => r.Content.Customer.MobileNumber == mobile);
            }

            if (f.AccountReference is { } account)
            {
                yield return new("account", account, $"AccountReference eq {account}", r => r.Content.AccountReference == account);
            }

            if (f.CustomerName is { } name)
            {
                yield return new("name", name, $"(FirstNameKey eq {name} or LastNameKey eq {name} or FullNameKey eq {name})",
                    r => r.Content.Customer.NameKeys().Contains(name));
            }

            if (f.Amount is { } amount)
            {
                var canonical = Amounts.Canonical(amount);
                yield return new("amount", canonical, $"Amount eq {canonical}", r => r.Content.Amount == amount);
            }
        }

        public static ListQuery For(string merchantId, PaymentRequestFilter f)
        {
            var conditions = Conditions(f).ToList();
            var (index, value) = conditions.FirstOrDefault() is { } first ? (first.Index, first.Value)
                : f.Status is { } status ? ("status", status.ToString())
                : ("created", "");

            var filter = new StringBuilder();
            void And(FormattableString condition) =>
                filter.Append(filter.Length == 0 ? "" : " and ").Append(TableClient.CreateQueryFilter(condition));

            // Keys count time down, so the latest allowed time is the lower bound, of partitions and of rows alike.
            if (BySecond(index))
            {
                var prefix = IndexPrefix(merchantId, index, value);
                And($"PartitionKey ge {prefix + (f.CreatedTo is { } to ? Second(to) : "")}");
                And($"PartitionKey le {prefix + (f.CreatedFrom is { } from ? Second(from) : "~")}");
            }
            else
            {
                And($"PartitionKey eq {IndexPrefix(merchantId, index, value)[..^1]}");
            }

            if (f.CreatedTo is { } createdTo)
            {
                And($"RowKey ge {TableKeys.NewestFirst(createdTo)}");
            }

            if (f.CreatedFrom is { } createdFrom)
            {
                And($"RowKey lt {TableKeys.NewestFirst(createdFrom) + "}"}");
            }

            foreach (var condition in conditions.Skip(1))
            {
                And(condition.Row);
            }

            return new ListQuery(filter.ToString());
        }
    }

    /// <summary>An opaque token: the last row listed, bound to the query.</summary>
    private static class ContinuationToken
    {
        public static string Write((string Partition, string Row) after, string fingerprint) =>
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{fingerprint}\n{after.Partition}\n{after.Row}"));

        public static (string Partition, string Row)? Read(string? token, string fingerprint)
        {
            if (token is null)
            {
                return null;
            }

            try
            {
                var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('\n');
                if (parts.Length == 3 && parts[0] == fingerprint)
                {
                    return (parts[1], parts[2]);
                }
            }
            catch (FormatException)
            {
            }

            throw new InvalidContinuationTokenException();
        }
    }
}
