using System.Security.Cryptography;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Merchants;

/// <summary>
/// Finds the merchant a subscription key belongs to. Unknown, malformed and revoked keys find none. A key's last use is
/// noted at most once every <see cref="UseNotedEvery"/>, so a busy key costs no write per call.
/// </summary>
public sealed class MerchantAuthenticator(IMerchantStore merchants, TimeProvider clock)
{
    public static readonly TimeSpan UseNotedEvery = TimeSpan.FromMinutes(1);

    public async Task<AuthenticatedKey?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken)
    {
        if (presentedKey is null || presentedKey.Length is < ApiKeys.MinKeyLength or > ApiKeys.MaxKeyLength)
        {
            return null;
        }

        var hash = ApiKeys.Hash(presentedKey);
        var record = await merchants.FindKeyAsync(ApiKeys.KeyId(hash), cancellationToken);
        if (record is null || !record.IsActive || !CryptographicOperations.FixedTimeEquals(record.Hash, hash))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (record.LastUsedAt is not { } used || now - used >= UseNotedEvery)
        {
            await merchants.MarkKeyUsedAsync(record, now, cancellationToken);
        }

        return await merchants.FindAsync(record.MerchantId, cancellationToken) is { } merchant ? new AuthenticatedKey(merchant, record.KeyId) : null;
    }
}

/// <summary>A key the authenticator accepted: its merchant, and its id (never the key).</summary>
public sealed record AuthenticatedKey(Merchant Merchant, string KeyId);
