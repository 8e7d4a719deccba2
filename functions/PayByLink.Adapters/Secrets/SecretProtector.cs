using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace PayByLink.Adapters.Secrets;

/// <summary>
/// Encrypts the secrets the suite must keep to use again (webhook signing secrets) with AES-256-GCM before they are
/// stored: <c>pbl1:{keyId}:{nonce, cipher text and tag, base64url}</c>, the key's id beside the cipher text so that
/// the key can rotate. Keys come from settings: <c>Secrets__EncryptionKey</c> with <c>Secrets__EncryptionKeyId</c>
/// (new secrets are encrypted with it), and while rotating <c>Secrets__PreviousEncryptionKey</c> with
/// <c>Secrets__PreviousEncryptionKeyId</c> (still read). A setting is key material (a Key Vault secret in Azure);
/// the AES key is derived from it with HKDF-SHA256.
/// </summary>
public sealed class SecretProtector
{
    public const string Prefix = "pbl1:";
    public const string KeySetting = "Secrets:EncryptionKey", KeyIdSetting = "Secrets:EncryptionKeyId";
    public const string PreviousKeySetting = "Secrets:PreviousEncryptionKey", PreviousKeyIdSetting = "Secrets:PreviousEncryptionKeyId";
    private const int NonceBytes = 12, TagBytes = 16;

    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly string _currentKeyId;

    public SecretProtector(string keyId, string keyMaterial, string? previousKeyId = null, string? previousKeyMaterial = null)
    {
        KeyMaterial.Require(keyMaterial, KeySetting);

        if (keyId.Contains(':', StringComparison.Ordinal) || keyId.Length == 0)
        {
            throw new ArgumentException($"{KeyIdSetting} must be a non-empty name without ':'.", nameof(keyId));
        }

        _currentKeyId = keyId;
        _keys[keyId] = Derive(keyMaterial);
        if (!string.IsNullOrEmpty(previousKeyId) && !string.IsNullOrEmpty(previousKeyMaterial) && previousKeyId != keyId)
        {
            _keys[previousKeyId] = Derive(previousKeyMaterial);
        }
    }

    /// <summary>The protector the settings describe.</summary>
    /// <exception cref="InvalidOperationException">No key is set.</exception>
    public static SecretProtector FromConfiguration(IConfiguration configuration) =>
        configuration[KeySetting] is { Length: > 0 } key
            ? new SecretProtector(configuration[KeyIdSetting] is { Length: > 0 } id ? id : "1", key,
                configuration[PreviousKeyIdSetting], configuration[PreviousKeySetting])
            : throw new InvalidOperationException($"Set {KeySetting.Replace(":", "__", StringComparison.Ordinal)}: the key that encrypts stored secrets.");

    public string Protect(string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[_currentKeyId], TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length),
            AssociatedData(_currentKeyId));
        return $"{Prefix}{_currentKeyId}:{Base64Url.EncodeToString(sealedBytes)}";
    }

    /// <summary>A stored secret in clear: decrypted, or as it is when it was stored before secrets were encrypted.</summary>
    /// <exception cref="CryptographicException">Encrypted with a key this protector does not hold, or altered.</exception>
    public string Unprotect(string stored)
    {
        if (!IsProtected(stored))
        {
            return stored;
        }

        var parts = stored[Prefix.Length..].Split(':', 2);
        if (parts.Length != 2 || !_keys.TryGetValue(parts[0], out var key))
        {
            throw new CryptographicException($"A stored secret was encrypted with key '{parts[0]}', which is not in the settings.");
        }

        var sealedBytes = Base64Url.DecodeFromChars(parts[1]);
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plain = new byte[length];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), plain,
            AssociatedData(parts[0]));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The id of the key new secrets are encrypted with.</summary>
    public string CurrentKeyId => _currentKeyId;

    public static bool IsProtected(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Whether a stored secret is encrypted with the current key (else it is rewritten by <c>ProtectStoredSecretsAsync</c>).</summary>
    public bool IsCurrent(string stored) => stored.StartsWith($"{Prefix}{_currentKeyId}:", StringComparison.Ordinal);

    private static byte[] Derive(string material) => KeyMaterial.Derive(material, "paybylink stored secrets");

    private static byte[] AssociatedData(string keyId) => Encoding.UTF8.GetBytes("paybylink:" + keyId);
}
