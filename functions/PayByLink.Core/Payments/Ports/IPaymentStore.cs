namespace PayByLink.Core.Payments;

public interface IPaymentStore
{
    /// <summary>Records the payment of its amount due, once: the first payment of a request (or instalment) wins.</summary>
    Task<PaymentRecordOutcome> TryAddAsync(Payment payment, CancellationToken cancellationToken);

    Task<IReadOnlyList<Payment>> ListAsync(string merchantId, string requestId, CancellationToken cancellationToken);

    /// <summary>Notes a checkout opened for the request, so that it can be closed when the request closes.</summary>
    Task AddCheckoutAsync(string merchantId, string requestId, string checkoutId, CancellationToken cancellationToken);

    /// <summary>The request's checkouts not yet closed.</summary>
    Task<IReadOnlyList<string>> ListCheckoutsAsync(string merchantId, string requestId, CancellationToken cancellationToken);

    /// <summary>Forgets a checkout once it is closed.</summary>
    Task RemoveCheckoutAsync(string merchantId, string requestId, string checkoutId, CancellationToken cancellationToken);
}
