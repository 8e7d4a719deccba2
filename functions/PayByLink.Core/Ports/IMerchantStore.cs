using PayByLink.Core.Domain;

namespace PayByLink.Core.Ports;

public interface IMerchantStore
{
    Task<Merchant?> FindAsync(string merchantId, CancellationToken cancellationToken);

    /// <summary>Adds the merchant; false when the id is taken.</summary>
    Task<bool> TryAddAsync(Merchant merchant, CancellationToken cancellationToken);

    Task UpdateAsync(Merchant merchant, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> FindKeyAsync(string keyId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string merchantId, CancellationToken cancellationToken);

    Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task RevokeKeyAsync(ApiKeyRecord key, DateTimeOffset revokedAt, CancellationToken cancellationToken);

    /// <summary>Notes when the key was last used.</summary>
    Task MarkKeyUsedAsync(ApiKeyRecord key, DateTimeOffset usedAt, CancellationToken cancellationToken);
}
