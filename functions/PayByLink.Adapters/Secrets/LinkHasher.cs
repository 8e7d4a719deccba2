using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace PayByLink.Adapters.Secrets;

/// <summary>
/// The keyed hash (HMAC-SHA256) a link is stored and found under, so that its short code and payment token are never
/// stored in clear: a table export gives no working link. The key comes from <c>Secrets__LinkHashKey</c> (a Key Vault
/// secret in Azure), as key material from which the HMAC key is derived with HKDF-SHA256. Unlike the encryption key it
/// cannot rotate: every stored link is found under it.
/// </summary>
public sealed class LinkHasher
{
    public const string KeySetting = "Secrets:LinkHashKey";
    private readonly byte[] _key;

    public LinkHasher(string keyMaterial)
    {
        if (string.IsNullOrWhiteSpace(keyMaterial) || keyMaterial.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{KeySetting} holds no key (a Key Vault reference the platform could not resolve?).", nameof(keyMaterial));
        }

        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(keyMaterial), 32, info: Encoding.UTF8.GetBytes("paybylink link lookup"));
    }

    /// <exception cref="InvalidOperationException">No key is set.</exception>
    public static LinkHasher FromConfiguration(IConfiguration configuration) =>
        configuration[KeySetting] is { Length: > 0 } key
            ? new LinkHasher(key)
            : throw new InvalidOperationException($"Set {KeySetting.Replace(":", "__", StringComparison.Ordinal)}: the key links are stored under.");

    /// <summary>The value's keyed hash, 64 lower-case hex digits.</summary>
    public string Hash(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value)));
}
