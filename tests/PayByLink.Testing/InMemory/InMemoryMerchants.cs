using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

namespace PayByLink.Testing.InMemory;

/// <summary>Merchants and their keys in memory.</summary>
public sealed class InMemoryMerchants : IMerchantStore
{
    private readonly VersionedRows<string, Merchant> _merchants = new();
    private readonly VersionedRows<string, ApiKeyRecord> _keys = new();

    public Task<Merchant?> FindAsync(string merchantId, CancellationToken cancellationToken) => Task.FromResult(_merchants.Find(merchantId)?.Value);

    public Task<bool> TryAddAsync(Merchant merchant, CancellationToken cancellationToken) =>
        Task.FromResult(_merchants.TryWrite(merchant.Id, merchant, null) is not null);

    public Task UpdateAsync(Merchant merchant, CancellationToken cancellationToken)
    {
        _merchants.Upsert(merchant.Id, merchant);
        return Task.CompletedTask;
    }

    public Task<ApiKeyRecord?> FindKeyAsync(string keyId, CancellationToken cancellationToken) => Task.FromResult(_keys.Find(keyId)?.Value);

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string merchantId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ApiKeyRecord>>(_keys.Where(_ => true).Select(r => r.Value).Where(k => k.MerchantId == merchantId).ToList());

    public Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        _keys.Upsert(key.KeyId, key);
        return Task.CompletedTask;
    }

    public Task MarkKeyUsedAsync(ApiKeyRecord key, DateTimeOffset usedAt, CancellationToken cancellationToken)
    {
        _keys.Upsert(key.KeyId, key with { LastUsedAt = usedAt });
        return Task.CompletedTask;
    }

    public Task RevokeKeyAsync(ApiKeyRecord key, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        _keys.Upsert(key.KeyId, key with { RevokedAt = revokedAt });
        return Task.CompletedTask;
    }
}
