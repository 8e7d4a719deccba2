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
    /// Makes sure the development merchant exists and holds a working key, revoking none: the one in
    /// <see cref="KeyVariable"/> when set (added if storage does not know it), otherwise the one saved beside the local
    /// data, otherwise a new one (saved there). Says which it used.
    /// </summary>
    public static async Task<DevelopmentKey> EnsureAsync(MerchantAdministration admin, IMerchantStore merchants, string keyFile,
        string? configuredKey, CancellationToken cancellationToken)
    {
        if (await merchants.FindAsync(Id, cancellationToken) is null)
        {
            await admin.AddMerchantAsync(Merchant, cancellationToken);
        }

        var configured = !string.IsNullOrWhiteSpace(configuredKey);
        var key = configured ? configuredKey!.Trim() : File.Exists(keyFile) ? (await File.ReadAllTextAsync(keyFile, cancellationToken)).Trim() : null;
        var record = key is null ? null : await merchants.FindKeyAsync(ApiKeys.KeyId(ApiKeys.Hash(key)), cancellationToken);
        var from = configured ? KeyVariable : keyFile;
        if (record is { IsActive: true } && record.MerchantId == Id)
        {
            return new DevelopmentKey(key!, $"the stored key, from {from}");
        }

        if (record is not null && configured)
        {
            throw new MerchantAdministrationException($"{KeyVariable} holds a key that is revoked or belongs to another merchant.");
        }

        if (record is not null)
        {
            key = null; // the saved key no longer works: a new one replaces it in the file
        }

        try
        {
            if (key is not null)
            {
                await admin.RegisterKeyAsync(Id, key, cancellationToken);
                return new DevelopmentKey(key, $"added from {from}");
            }

            (key, _) = await admin.IssueKeyAsync(Id, cancellationToken);
        }
        catch (MerchantAdministrationException e)
        {
            throw new MerchantAdministrationException(
                $"{e.Message} No start revokes a key: set {KeyVariable} to one of them, or revoke one with 'key revoke {Id} <keyId>'.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
        await File.WriteAllTextAsync(keyFile, key, cancellationToken);
        return new DevelopmentKey(key, $"new, saved to {keyFile}");
    }
}

/// <summary>The development merchant's key, and where it came from.</summary>
public sealed record DevelopmentKey(string Key, string Source);
