using Azure.Data.Tables;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// The index rows of a request: for each list filter value a partition (<c>{merchant}|{filter}|{value}</c>) of rows
/// keyed newest first, each carrying the fields a list shows that never change. Status and creation time, the filters
/// whose values every request shares, get a partition per value and second of creation (<c>…|{second, counted down}</c>),
/// read together as one key range, newest first. The status rows, the only ones that move, are in
/// <c>PaymentRequestStatus</c>; the others in <c>PaymentRequestIndex</c>.
/// </summary>
internal static class PaymentRequestIndexRows
{
    /// <summary>The columns a list reads of a row.</summary>
    public static readonly string[] Columns =
    [
        "PartitionKey", "RowKey", "RequestId", "ClientTransactionRef", "Amount", "Currency", "AccountReference", "CustomerName",
        "CreatedAt", "ExpiresAt",
    ];

    public const string StatusIndex = "status";

    /// <summary>The table an index's rows are in.</summary>
    public static string Table(string index) =>
        index == StatusIndex ? StorageNames.PaymentRequestStatusTable : StorageNames.PaymentRequestIndexTable;

    /// <summary>Whether an index row's partition is a status partition (merchant ids and escaped values hold no '|').</summary>
    public static bool IsStatusPartition(string partitionKey) => partitionKey.Contains($"|{StatusIndex}|", StringComparison.Ordinal);

    /// <summary>
    /// One row per value of a field that never changes the request can be found by, in that value's partition
    /// (in <c>PaymentRequestIndex</c>); the status row is <see cref="Status"/>.
    /// </summary>
    public static IEnumerable<TableEntity> Fixed(PaymentRequest request)
    {
        var c = request.Content;
        var values = new List<(string Index, string Value)>
        {
            ("created", ""),
            ("amount", Amounts.Canonical(c.Amount)),
            ("account", c.AccountReference),
        };
        values.AddRange(c.Customer.NameKeys().Select(name => ("name", name)));
        if (c.Customer.MobileNumber is { } mobile)
        {
            values.Add(("mobile", mobile));
        }

        if (c.Customer.Email is { } email)
        {
            values.Add(("email", email.ToLowerInvariant()));
        }

        return values.Select(v => Projection(request, Partition(request.MerchantId, v.Index, v.Value, request.CreatedAt)));
    }

    /// <summary>The row that finds the request by its status (in <c>PaymentRequestStatus</c>): the one row that moves when the request changes.</summary>
    public static TableEntity Status(PaymentRequest request) =>
        Projection(request, Partition(request.MerchantId, StatusIndex, request.Status.ToString(), request.CreatedAt));

    /// <summary>
    /// The partition of a filter value's index rows. Status and creation time are shared by every request, so their
    /// rows are split by the second of creation, counted down so that a key range reads them newest first.
    /// </summary>
    private static string Partition(string merchantId, string index, string value, DateTimeOffset createdAt) =>
        BySecond(index) ? Prefix(merchantId, index, value) + Second(createdAt) : Prefix(merchantId, index, value)[..^1];

    public static bool BySecond(string index) => index is StatusIndex or "created";

    public static string Prefix(string merchantId, string index, string value) => $"{merchantId}|{index}|{TableKeys.Escape(value)}|";

    public static string Second(DateTimeOffset time) =>
        TableKeys.NewestFirst(new DateTimeOffset(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero));

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
            ["Email"] = c.Customer.Email?.ToLowerInvariant() ?? "",
            ["CreatedAt"] = request.CreatedAt,
            ["ExpiresAt"] = c.ExpiresAt,
            ["CreatedBy"] = request.CreatedBy is { Type: Core.Events.ActorType.User } by ? by.Id : "",
        };
    }

    /// <summary>What a list shows of a request, from its index row and its status (read from the request, the truth).</summary>
    public static PaymentRequestSummary ReadSummary(TableEntity e, PaymentRequestStatus status) => new(
        e.GetString("RequestId"),
        e.GetString("ClientTransactionRef"),
        status,
        Amounts.Parse(e.GetString("Amount")),
        e.GetString("Currency"),
        e.GetString("AccountReference"),
        e.GetString("CustomerName"),
        e.GetDateTimeOffset("CreatedAt")!.Value,
        e.GetDateTimeOffset("ExpiresAt")!.Value);

    /// <summary>What a list shows of a request read whole.</summary>
    public static PaymentRequestSummary Summary(PaymentRequest r) => new(
        r.RequestId, r.ClientTransactionRef, r.Status, r.Content.Amount, r.Content.Currency, r.Content.AccountReference,
        r.Content.Customer.FullName, r.CreatedAt, r.Content.ExpiresAt);
}
