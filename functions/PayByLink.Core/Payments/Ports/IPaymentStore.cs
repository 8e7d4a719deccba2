namespace PayByLink.Core.Payments;

public interface IPaymentStore
{
    /// <summary>Records the payment of its amount due, once: the first payment of a request (or instalment) wins.</summary>
    Task<PaymentRecordOutcome> TryAddAsync(Payment payment, CancellationToken cancellationToken);

    Task<IReadOnlyList<Payment>> ListAsync(string merchantId, string requestId, CancellationToken cancellationToken);
}
