using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Core.Ports;

namespace PayByLink.Local;

/// <summary>The merchant the local runtime seeds, so the API can be tried at once.</summary>
public static class DevelopmentMerchant
{
    public const string Id = "dev-merchant";
    public const string KeyVariable = "PAYBYLINK_DEV_SUBSCRIPTION_KEY";

    public static readonly Merchant Merchant = new(Id, "Development Merchant", "GBP", 10_000m);

    /// <summary>
    /// Makes sure the development merchant exists and holds a working key: the one in
    /// <see cref="KeyVariable"/> when set, otherwise the one saved beside the local data (made on first start).
    /// </summary>
    public static async Task<string> EnsureAsync(MerchantAdministration admin, IMerchantStore merchants, string keyFile,
        string? configuredKey, CancellationToken cancellationToken)
    {
        if (await merchants.FindAsync(Id, cancellationToken) is null)
        {
            await admin.AddMerchantAsync(Merchant, cancellationToken);
        }

        var key = configuredKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            key = File.Exists(keyFile) ? (await File.ReadAllTextAsync(keyFile, cancellationToken)).Trim() : null;
        }

        var record = key is null ? null : await merchants.FindKeyAsync(ApiKeys.KeyId(ApiKeys.Hash(key)), cancellationToken);
        if (record is { IsActive: true } && record.MerchantId == Id)
        {
            return key!;
        }

        if (record is not null && !string.IsNullOrWhiteSpace(configuredKey))
        {
            throw new MerchantAdministrationException($"{KeyVariable} holds a key that is revoked or belongs to another merchant.");
        }

        // Make room: the development merchant's oldest key goes first.
        var active = (await merchants.ListKeysAsync(Id, cancellationToken)).Where(k => k.IsActive).ToList();
        foreach (var old in active.Take(Math.Max(0, active.Count - (Merchant.MaxActiveKeys - 1))))
        {
            await admin.RevokeKeyAsync(Id, old.KeyId, cancellationToken);
        }

        if (record is null && key is not null)
        {
            await admin.RegisterKeyAsync(Id, key, cancellationToken);
        }
        else
        {
            (key, _) = await admin.IssueKeyAsync(Id, cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(configuredKey))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
            await File.WriteAllTextAsync(keyFile, key, cancellationToken);
        }

        return key;
    }
}
