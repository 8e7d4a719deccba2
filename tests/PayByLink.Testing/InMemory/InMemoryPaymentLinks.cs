using PayByLink.Core.Ports;

namespace PayByLink.Testing.InMemory;

/// <summary>Short codes and tokens in memory: a code is taken once.</summary>
public sealed class InMemoryPaymentLinks : IPaymentLinkStore
{
    private readonly VersionedRows<string, PaymentLink> _byCode = new();

    public Task<bool> TryAddAsync(PaymentLink link, CancellationToken cancellationToken) =>
        Task.FromResult(_byCode.TryWrite(link.ShortCode, link, null) is not null);

    public Task<PaymentLink?> FindByCodeAsync(string shortCode, CancellationToken cancellationToken) =>
        Task.FromResult(_byCode.Find(shortCode)?.Value);

    public Task<PaymentLink?> FindByTokenAsync(string paymentToken, CancellationToken cancellationToken) =>
        Task.FromResult(_byCode.Where(_ => true).Select(r => r.Value).FirstOrDefault(l => l.PaymentToken == paymentToken));
}
