using System.Text.Json;
using Azure.Data.Tables;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// The keys and documents of a request: in <c>PaymentRequests</c> one partition per request (<c>{merchant}|{requestId}</c>)
/// holding the request's row, its events (<see cref="EventRows"/>) and its sends' delivery records
/// (<see cref="TableDeliveryStore"/>); in <c>PaymentRequestClaims</c> one partition per client transaction reference
/// (<c>{merchant}|ref|{ref}</c>) holding the claim that makes creates idempotent.
/// </summary>
internal static class PaymentRequestRows
{
    public const string RequestRow = "request";
    public const string ClaimRow = "ref";

    public static string Partition(string merchantId, string requestId) => $"{merchantId}|{requestId}";

    public static string ClaimPartition(string merchantId, string reference) => $"{merchantId}|ref|{TableKeys.Escape(reference)}";

    /// <summary>The request's row: its document, and its status beside it for the lists, which read nothing else.</summary>
    public static TableEntity Request(PaymentRequest request, StoredDocuments documents) => new(Partition(request.MerchantId, request.RequestId), RequestRow)
    {
        ["Document"] = JsonSerializer.Serialize(request, documents.Options),
        ["Status"] = request.Status.ToString(),
    };

    /// <summary>The status of a request row read with its <c>Status</c> column; null for a row written before the column.</summary>
    public static PaymentRequestStatus? ReadStatus(TableEntity entity) =>
        Enum.TryParse<PaymentRequestStatus>(entity.GetString("Status"), out var status) ? status : null;

    /// <summary>The claim of the request's reference, carrying the request as it was first asked for.</summary>
    public static TableEntity Claim(PaymentRequest request, DateTimeOffset now, StoredDocuments documents) =>
        new(ClaimPartition(request.MerchantId, request.ClientTransactionRef), ClaimRow)
        {
            ["RequestId"] = request.RequestId,
            ["ClaimedAt"] = now,
            ["Document"] = JsonSerializer.Serialize(request, documents.Options),
        };

    public static PaymentRequest ReadDocument(TableEntity entity, StoredDocuments documents) =>
        JsonSerializer.Deserialize<PaymentRequest>(entity.GetString("Document"), documents.Options)
        ?? throw new InvalidOperationException($"Row {entity.PartitionKey} has no document.");

    /// <summary>The created event a request row records; none for a request saved before requests had events.</summary>
    public static DomainEvent? ReadCreated(TableEntity requestRow, StoredDocuments documents) =>
        ReadDocument(requestRow, documents) is { EventCount: >= 1 } request ? RequestCreated.Event(request) : null;
}
