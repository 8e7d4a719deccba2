using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;

namespace PayByLink.Testing.InMemory;

/// <summary>
/// Payment requests in memory, with what Table Storage keeps in each request's partition: its sends and its events,
/// so a change, its event and the send that made it are written in one transaction or not at all, as there. The
/// request's own row is the record of its created event.
/// </summary>
public sealed class InMemoryPaymentRequests : IPaymentRequestStore, IDeliveryStore, IEventLog
{
    private readonly VersionedRows<(string MerchantId, string Reference), ReferenceClaim> _claims = new();

    /// <summary>A partition's rows: <c>request</c>, <c>send|{sendId}</c> and <c>event|{sequence}</c>.</summary>
    private readonly VersionedRows<(string MerchantId, string RequestId, string Row), object> _rows = new();

    public Task<ReferenceClaim?> TryClaimReferenceAsync(PaymentRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = (request.MerchantId, request.ClientTransactionRef);
        return Task.FromResult(_claims.TryWrite(key, new ReferenceClaim(request, now), null) is null ? _claims.Find(key)!.Value.Value : null);
    }

    public Task<ReferenceClaim?> FindClaimAsync(string merchantId, string clientTransactionRef, CancellationToken cancellationToken) =>
        Task.FromResult(_claims.Find((merchantId, clientTransactionRef))?.Value);

    public Task SaveAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        _rows.TryWrite((request.MerchantId, request.RequestId, "request"), request, null); // saved before: as it stands
        return Task.CompletedTask;
    }

    public Task<Versioned<PaymentRequest>?> FindAsync(string merchantId, string requestId, CancellationToken cancellationToken) =>
        Task.FromResult(_rows.Find((merchantId, requestId, "request")) is { } row ? new Versioned<PaymentRequest>((PaymentRequest)row.Value, row.Version) : null);

    public Task<bool> TryReplaceAsync(Versioned<PaymentRequest> current, PaymentRequest replacement, Versioned<DeliveryRecord>? delivery,
        DomainEvent change, CancellationToken cancellationToken)
    {
        List<((string, string, string), object, string?)> writes =
        [
            ((replacement.MerchantId, replacement.RequestId, "request"), replacement, current.Version),
            ((replacement.MerchantId, replacement.RequestId, $"event|{change.Sequence:D6}"), change, null),
        ];
        if (delivery is not null)
        {
            writes.Add(((replacement.MerchantId, replacement.RequestId, "send|" + delivery.Value.SendId), delivery.Value, delivery.Version));
        }

        return Task.FromResult(_rows.TryWriteAll(writes) is not null);
    }

    public Task<PaymentRequestPage> ListAsync(string merchantId, PaymentRequestFilter filter, int pageSize, string? continuationToken,
        CancellationToken cancellationToken)
    {
        var skip = continuationToken is null ? 0 : int.TryParse(continuationToken, out var n) && n > 0 ? n : throw new InvalidContinuationTokenException();
        var matching = _rows.Where(k => k.MerchantId == merchantId && k.Row == "request").Select(r => (PaymentRequest)r.Value)
            .Where(r => Matches(r, filter)).OrderByDescending(r => r.CreatedAt).ThenBy(r => r.RequestId, StringComparer.Ordinal).ToList();
        var page = matching.Skip(skip).Take(pageSize).Select(r => new PaymentRequestSummary(r.RequestId, r.ClientTransactionRef, r.Status,
            r.Content.Amount, r.Content.Currency, r.Content.AccountReference, r.Content.Customer.FullName, r.CreatedAt, r.Content.ExpiresAt)).ToList();
        return Task.FromResult(new PaymentRequestPage(page, skip + pageSize < matching.Count ? (skip + pageSize).ToString() : null));
    }

    /// <summary>Nothing to move: lists here read the requests themselves.</summary>
    public Task ReindexAsync(PaymentRequest before, PaymentRequest after, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task EraseCopiesAsync(PaymentRequest original, PaymentRequest erased, CancellationToken cancellationToken)
    {
        var erasedAt = erased.ErasedAt ?? throw new ArgumentException("The request is not erased.", nameof(erased));
        foreach (var row in _rows.Where(k => k.MerchantId == erased.MerchantId && k.RequestId == erased.RequestId && k.Row != "request").ToList())
        {
            object copy = row.Value switch
            {
                DomainEvent e => e with { Data = e.Data.WithoutPersonalData(erasedAt) },
                DeliveryRecord d => d with { Recipient = null },
                _ => row.Value,
            };
            _rows.TryWrite(row.Key, copy, row.Version);
        }

        var key = (erased.MerchantId, erased.ClientTransactionRef);
        if (_claims.Find(key) is { } claim && claim.Value.Request.RequestId == erased.RequestId)
        {
            _claims.TryWrite(key, claim.Value with { Request = claim.Value.Request.WithoutPersonalData(erasedAt) }, claim.Version);
        }

        return Task.CompletedTask;
    }

    Task<Versioned<DeliveryRecord>?> IDeliveryStore.FindAsync(string merchantId, string requestId, string sendId, CancellationToken cancellationToken) =>
        Task.FromResult(_rows.Find((merchantId, requestId, "send|" + sendId)) is { } row ? new Versioned<DeliveryRecord>((DeliveryRecord)row.Value, row.Version) : null);

    public Task<string?> TrySaveAsync(DeliveryRecord record, string? version, CancellationToken cancellationToken) =>
        Task.FromResult(_rows.TryWrite((record.MerchantId, record.RequestId, "send|" + record.SendId), record, version));

    Task<IReadOnlyList<DeliveryRecord>> IDeliveryStore.ListAsync(string merchantId, string requestId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DeliveryRecord>>(_rows.Where(k => k.MerchantId == merchantId && k.RequestId == requestId && k.Row.StartsWith("send|"))
            .OrderBy(r => r.Key.Row, StringComparer.Ordinal).Select(r => (DeliveryRecord)r.Value).ToList());

    Task<IReadOnlyList<DomainEvent>> IEventLog.ListAsync(string merchantId, string subjectId, CancellationToken cancellationToken)
    {
        var events = _rows.Where(k => k.MerchantId == merchantId && k.RequestId == subjectId && k.Row.StartsWith("event|"))
            .OrderBy(r => r.Key.Row, StringComparer.Ordinal).Select(r => (DomainEvent)r.Value).ToList();
        if (_rows.Find((merchantId, subjectId, "request")) is { } request && events.All(e => e.Sequence != 1))
        {
            events.Insert(0, RequestCreated.Event((PaymentRequest)request.Value));
        }

        return Task.FromResult<IReadOnlyList<DomainEvent>>(events);
    }

    private static bool Matches(PaymentRequest r, PaymentRequestFilter f) =>
        (f.ClientTransactionRef is not { } reference || r.ClientTransactionRef == reference) &&
        (f.Status is not { } status || r.Status == status) &&
        (f.Amount is not { } amount || r.Content.Amount == amount) &&
        (f.AccountReference is not { } account || string.Equals(r.Content.AccountReference, account, StringComparison.OrdinalIgnoreCase)) &&
        (f.CustomerName is not { } name || r.Content.Customer.NameKeys().Contains(name)) &&
        (f.MobileNumber is not { } mobile || r.Content.Customer.MobileNumber == mobile) &&
        (f.Email is not { } email || string.Equals(r.Content.Customer.Email, email, StringComparison.OrdinalIgnoreCase)) &&
        (f.CreatedFrom is not { } from || r.CreatedAt >= from) &&
        (f.CreatedBy is not { } by || r.CreatedBy?.Id == by) &&
        (f.CreatedTo is not { } to || r.CreatedAt <= to);
}
