using PayByLink.Core.Payments;

namespace PayByLink.Testing.InMemory;

/// <summary>Payments in memory: the first payment of an amount due wins.</summary>
public sealed class InMemoryPayments : IPaymentStore
{
    private readonly VersionedRows<(string MerchantId, string RequestId, int? Instalment), Payment> _payments = new();

    public Task<PaymentRecordOutcome> TryAddAsync(Payment payment, CancellationToken cancellationToken)
    {
        var key = (payment.MerchantId, payment.RequestId, payment.Instalment);
        if (_payments.TryWrite(key, payment, null) is not null)
        {
            return Task.FromResult(PaymentRecordOutcome.Added);
        }

        var existing = _payments.Find(key)!.Value.Value;
        return Task.FromResult(existing.Provider == payment.Provider && existing.ProviderReference == payment.ProviderReference
            ? PaymentRecordOutcome.Replayed
            : PaymentRecordOutcome.AlreadyPaid);
    }

    public Task<IReadOnlyList<Payment>> ListAsync(string merchantId, string requestId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Payment>>(_payments.Where(k => k.MerchantId == merchantId && k.RequestId == requestId).Select(r => r.Value).ToList());

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string, string), bool> _checkouts = new();

    public Task AddCheckoutAsync(string merchantId, string requestId, string checkoutId, CancellationToken cancellationToken)
    {
        _checkouts[(merchantId, requestId, checkoutId)] = true;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListCheckoutsAsync(string merchantId, string requestId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(_checkouts.Keys.Where(k => k.Item1 == merchantId && k.Item2 == requestId).Select(k => k.Item3).ToList());

    public Task RemoveCheckoutAsync(string merchantId, string requestId, string checkoutId, CancellationToken cancellationToken)
    {
        _checkouts.TryRemove((merchantId, requestId, checkoutId), out _);
        return Task.CompletedTask;
    }
}
