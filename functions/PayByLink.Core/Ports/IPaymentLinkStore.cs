namespace PayByLink.Core.Ports;

/// <summary>Short codes and payment tokens, looked up without knowing the merchant.</summary>
public interface IPaymentLinkStore
{
    /// <summary>Adds the link; false when the short code is already taken.</summary>
    Task<bool> TryAddAsync(PaymentLink link, CancellationToken cancellationToken);

    Task<PaymentLink?> FindByCodeAsync(string shortCode, CancellationToken cancellationToken);

    Task<PaymentLink?> FindByTokenAsync(string paymentToken, CancellationToken cancellationToken);
}
