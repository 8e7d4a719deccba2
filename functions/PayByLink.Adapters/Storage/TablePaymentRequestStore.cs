using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
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
/// Payment requests in Table Storage, every key starting with the merchant id.
/// <list type="bullet">
/// <item><c>PaymentRequests</c>: one partition per request (<c>{merchant}|{requestId}</c>) holding the request, and
/// one per client transaction reference (<c>{merchant}|ref|{ref}</c>) holding the claim that makes creates idempotent.</item>
/// <item><c>PaymentRequestIndex</c>: for each list filter value a partition (<c>{merchant}|{filter}|{value}</c>) of
/// rows keyed newest first, each carrying the fields a list shows that never change. The two filters whose values
/// every request shares, status and creation time, get a partition per value and day (<c>…|{yyyy-MM-dd}</c>), and one
/// partition per merchant lists the days that hold requests.</item>
/// </list>
/// Small partitions keep every write and point read fast and spread a merchant's load; a list call reads one
/// filter value's partitions, day by day for status and time, and never the merchant's other requests. Status is
/// the one listed field that changes, so only the status row moves when it does; a list reads each row's status
/// from its request, which is the truth.
/// </summary>
public sealed class TablePaymentRequestStore(StorageClients storage, TimeProvider clock) : IPaymentRequestStore
{
    private static readonly JsonSerializerOptions DocumentJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly string[] ProjectionColumns =
    [
        "RowKey", "RequestId", "ClientTransactionRef", "Amount", "Currency", "AccountReference", "CustomerName",
        "CreatedAt", "ExpiresAt",
    ];

    private static readonly TimeSpan DaysCacheLifetime = TimeSpan.FromMinutes(1);

    private readonly TableClient _requests = storage.Table(StorageNames.PaymentRequestsTable);
    private readonly TableClient _index = storage.Table(StorageNames.PaymentRequestIndexTable);
    private readonly ConcurrentDictionary<string, (DateTimeOffset ReadAt, string[] Days)> _days = new();
    private readonly ConcurrentDictionary<string, bool> _daysWritten = new();

    public async Task<ReferenceClaim?> TryClaimReferenceAsync(PaymentRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claim = ClaimEntity(request, now, committed: false);
        try
        {
            await _requests.AddEntityAsync(claim, cancellationToken);
            return null;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            var existing = await _requests.GetEntityAsync<TableEntity>(claim.PartitionKey, claim.RowKey, cancellationToken: cancellationToken);
            return new ReferenceClaim(ReadDocument(existing.Value), existing.Value.GetBoolean("Committed") == true,
                existing.Value.GetDateTimeOffset("ClaimedAt")!.Value);
        }
    }

    public async Task SaveAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        await _requests.UpsertEntityAsync(MainEntity(request), TableUpdateMode.Replace, cancellationToken);
        await Task.WhenAll(IndexEntities(request)
            .Select(e => _index.UpsertEntityAsync(e, TableUpdateMode.Replace, cancellationToken))
            .Append(RecordDayAsync(request, cancellationToken)));
    }

    public Task CommitReferenceAsync(PaymentRequest request, CancellationToken cancellationToken) =>
        _requests.UpdateEntityAsync(new TableEntity(ReferenceKey(request.MerchantId, request.ClientTransactionRef), "ref") { ["Committed"] = true },
            ETag.All, TableUpdateMode.Merge, cancellationToken);

    public async Task<Versioned<PaymentRequest>?> FindAsync(string merchantId, string requestId, CancellationToken cancellationToken)
    {
        var response = await _requests.GetEntityIfExistsAsync<TableEntity>(MainKey(merchantId, requestId), "request", ["Document"], cancellationToken);
        return response.HasValue ? new Versioned<PaymentRequest>(ReadDocument(response.Value!), response.Value!.ETag.ToString()) : null;
    }

    public async Task<bool> TryReplaceAsync(Versioned<PaymentRequest> current, PaymentRequest replacement, CancellationToken cancellationToken)
    {
        try
        {
            await _requests.UpdateEntityAsync(MainEntity(replacement), new ETag(current.Version), TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }

        // The request row is the truth; of its index rows only the status row depends on what changes. The old and
        // the new status row share the day's status partition, so the row moves in one transaction.
        if (replacement.Status != current.Value.Status)
        {
            var added = new TableTransactionAction(TableTransactionActionType.UpsertReplace, StatusIndexEntity(replacement));
            try
            {
                await _index.SubmitTransactionAsync(
                    [new TableTransactionAction(TableTransactionActionType.Delete, StatusIndexEntity(current.Value), ETag.All), added],
                    cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
            {
                // The old row is gone already (an earlier change stopped half way): add the new one on its own.
                await _index.SubmitTransactionAsync([added], cancellationToken);
            }
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

        var query = ListQuery.For(filter);
        var fingerprint = Fingerprint(merchantId, query, filter.Status);
        var position = ContinuationToken.Read(continuationToken, fingerprint);
        var buckets = ByDay(query.Index)
            ? (await DaysAsync(merchantId, cancellationToken))
                .Where(d => (filter.CreatedFrom is not { } from || string.CompareOrdinal(d, Day(from)) >= 0) &&
                            (filter.CreatedTo is not { } to || string.CompareOrdinal(d, Day(to)) <= 0))
                .ToList()
            : [""];
        var bucket = position is null ? 0 : buckets.IndexOf(position.Value.Bucket);
        if (bucket < 0)
        {
            throw new InvalidContinuationTokenException();
        }

        var after = position?.After;
        var items = new List<PaymentRequestSummary>(pageSize);
        while (bucket < buckets.Count && items.Count < pageSize)
        {
            var remaining = pageSize - items.Count;
            var rowFilter = TableClient.CreateQueryFilter($"PartitionKey eq {IndexKeys(merchantId, query.Index, query.Value, buckets[bucket]).Partition}") +
                            query.Conditions + (after is null ? "" : " and " + TableClient.CreateQueryFilter($"RowKey gt {after}"));
            var exhausted = true;
            await foreach (var page in _index.QueryAsync<TableEntity>(rowFilter, remaining, ProjectionColumns, cancellationToken).AsPages(null, remaining))
            {
                // Each row's request gives its status: a status filter is checked there, so a row left behind by an
                // interrupted status change is never listed under the wrong status.
                var rows = page.Values;
                var found = await Task.WhenAll(rows.Select(r => FindAsync(merchantId, r.GetString("RequestId"), cancellationToken)));
                var used = 0;
                while (used < rows.Count && items.Count < pageSize)
                {
                    after = rows[used].RowKey;
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

            if (exhausted)
            {
                bucket++;
                after = null;
            }
        }

        return new PaymentRequestPage(items,
            bucket < buckets.Count ? ContinuationToken.Write(buckets[bucket], after, fingerprint) : null);
    }

    private async Task<PaymentRequestPage> ListByReferenceAsync(string merchantId, string reference, PaymentRequestFilter filter,
        CancellationToken cancellationToken)
    {
        var claim = await _requests.GetEntityIfExistsAsync<TableEntity>(ReferenceKey(merchantId, reference), "ref", ["RequestId"], cancellationToken);
        var request = claim.HasValue ? (await FindAsync(merchantId, claim.Value!.GetString("RequestId"), cancellationToken))?.Value : null;
        return new PaymentRequestPage(request is not null && Matches(request, filter) ? [Summary(request)] : [], null);
    }

    /// <summary>Newest day first. Cached briefly: a day only ever joins the list as the current day.</summary>
    private async Task<List<string>> DaysAsync(string merchantId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!_days.TryGetValue(merchantId, out var cached) || now - cached.ReadAt > DaysCacheLifetime)
        {
            var read = new List<string>();
            await foreach (var row in _index.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {DaysPartition(merchantId)}"),
                               select: ["RowKey"], cancellationToken: cancellationToken))
            {
                read.Add(row.RowKey);
            }

            cached = (now, read.ToArray());
            _days[merchantId] = cached;
        }

        return cached.Days.Append(Day(now)).Distinct().OrderByDescending(d => d, StringComparer.Ordinal).ToList();
    }

    private async Task RecordDayAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var key = $"{request.MerchantId}|{Day(request.CreatedAt)}";
        if (_daysWritten.ContainsKey(key))
        {
            return;
        }

        await _index.UpsertEntityAsync(DayEntity(request), TableUpdateMode.Replace, cancellationToken);
        _daysWritten[key] = true;
    }

    private static bool Matches(PaymentRequest request, PaymentRequestFilter f)
    {
        var c = request.Content;
        return (f.CustomerName is not { } name || NameKeys(c.Customer).Contains(name)) &&
               (f.Amount is not { } amount || c.Amount == amount) &&
               (f.AccountReference is not { } account || c.AccountReference == account) &&
               (f.MobileNumber is not { } mobile || c.Customer.MobileNumber == mobile) &&
               (f.Status is not { } status || request.Status == status) &&
               (f.CreatedFrom is not { } from || request.CreatedAt >= from) &&
               (f.CreatedTo is not { } to || request.CreatedAt <= to);
    }

    internal static TableEntity ClaimEntity(PaymentRequest request, DateTimeOffset now, bool committed) =>
        new(ReferenceKey(request.MerchantId, request.ClientTransactionRef), "ref")
        {
            ["RequestId"] = request.RequestId,
            ["Committed"] = committed,
            ["ClaimedAt"] = now,
            ["Document"] = JsonSerializer.Serialize(request, DocumentJson),
        };

    internal static TableEntity DayEntity(PaymentRequest request) => new(DaysPartition(request.MerchantId), Day(request.CreatedAt));

    private static string MainKey(string merchantId, string requestId) => $"{merchantId}|{requestId}";

    private static string ReferenceKey(string merchantId, string reference) => $"{merchantId}|ref|{TableKeys.Escape(reference)}";

    private static string DaysPartition(string merchantId) => $"{merchantId}|days";

    /// <summary>Status and creation time are shared by every request, so their partitions are split by day.</summary>
    private static bool ByDay(string index) => index is "status" or "created";

    /// <summary>
    /// Where an index row for a filter value lives: the value's partition, or for status the day's status partition
    /// with the status leading the row key, so a change of status moves the row within one partition.
    /// </summary>
    private static (string Partition, string RowPrefix) IndexKeys(string merchantId, string index, string value, string day) => index switch
    {
        "status" => ($"{merchantId}|status|{day}", value + "|"),
        "created" => ($"{merchantId}|created|{day}", ""),
        _ => ($"{merchantId}|{index}|{TableKeys.Escape(value)}", ""),
    };

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static TableEntity MainEntity(PaymentRequest request) => new(MainKey(request.MerchantId, request.RequestId), "request")
    {
        ["Document"] = JsonSerializer.Serialize(request, DocumentJson),
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
        values.AddRange(NameKeys(c.Customer).Select(name => ("name", name)));
        if (c.Customer.MobileNumber is { } mobile)
        {
            values.Add(("mobile", mobile));
        }

        var day = Day(request.CreatedAt);
        return values.Select(v => Projection(request, IndexKeys(request.MerchantId, v.Index, v.Value, day)));
    }

    private static TableEntity StatusIndexEntity(PaymentRequest request) =>
        Projection(request, IndexKeys(request.MerchantId, "status", request.Status.ToString(), Day(request.CreatedAt)));

    private static IEnumerable<string> NameKeys(Customer customer) =>
        new[] { customer.FirstName, customer.LastName, customer.FullName }.Select(PaymentRequestFilter.NameKey).Distinct();

    private static TableEntity Projection(PaymentRequest request, (string Partition, string RowPrefix) keys)
    {
        var c = request.Content;
        return new TableEntity(keys.Partition, keys.RowPrefix + TableKeys.NewestFirst(request.CreatedAt) + "|" + request.RequestId)
        {
            ["RequestId"] = request.RequestId,
            ["ClientTransactionRef"] = c.ClientTransactionRef,
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
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{merchantId}\n{query.Index}\n{query.Value}\n{query.Conditions}\n{status}")), 0, 12);

    /// <summary>
    /// The one index a filter reads (the most selective it names) and the other filters but status, applied by the
    /// table service to that index's rows only (status is checked on each row's request).
    /// </summary>
    internal sealed record ListQuery(string Index, string Value, string Conditions)
    {
        public static ListQuery For(PaymentRequestFilter f)
        {
            var (index, value) = f switch
            {
                { MobileNumber: { } mobile } => ("mobile", mobile),
                { AccountReference: { } account } => ("account", account),
                { CustomerName: { } name } => ("name", name),
                { Amount: { } amount } => ("amount", Amounts.Canonical(amount)),
                { Status: { } status } => ("status", status.ToString()),
                _ => ("created", ""),
            };

            var conditions = new StringBuilder();
            void And(FormattableString condition) => conditions.Append(" and ").Append(TableClient.CreateQueryFilter(condition));

            // Rows are keyed newest first (after the status, in the status index), so the latest allowed time is the
            // lower key bound. '}' sorts after the '|' that ends each part of a key.
            var prefix = index == "status" ? value + "|" : "";
            if (f.CreatedTo is not null || prefix.Length > 0)
            {
                And($"RowKey ge {prefix + (f.CreatedTo is { } createdTo ? TableKeys.NewestFirst(createdTo) : "")}");
            }

            if (f.CreatedFrom is not null || prefix.Length > 0)
            {
                And($"RowKey lt {(f.CreatedFrom is { } createdFrom ? prefix + TableKeys.NewestFirst(createdFrom) : value) + "}"}");
            }

            if (f.MobileNumber is { } m && index != "mobile")
            {
                And($"MobileNumber eq {m}");
            }

            if (f.AccountReference is { } a && index != "account")
            {
                And($"AccountReference eq {a}");
            }

            if (f.CustomerName is { } n && index != "name")
            {
                And($"(FirstNameKey eq {n} or LastNameKey eq {n} or FullNameKey eq {n})");
            }

            if (f.Amount is { } amt && index != "amount")
            {
                And($"Amount eq {Amounts.Canonical(amt)}");
            }

            return new ListQuery(index, value, conditions.ToString());
        }
    }

    /// <summary>An opaque token: the partition being read and the last row listed from it, bound to the query.</summary>
    private static class ContinuationToken
    {
        public static string Write(string bucket, string? after, string fingerprint) =>
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{fingerprint}\n{bucket}\n{after}"));

        public static (string Bucket, string? After)? Read(string? token, string fingerprint)
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
                    return (parts[1], parts[2].Length == 0 ? null : parts[2]);
                }
            }
            catch (FormatException)
            {
            }

            throw new InvalidContinuationTokenException();
        }
    }
}
