using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace PayByLink.Adapters.Secrets;

/// <summary>
/// The keyed hash (HMAC-SHA256) a row is stored and found under when the value it is found by is not stored in clear:
/// a link's short code (a table export gives no working link), an opted-out recipient (kept after the person's data is
/// erased, so they are still never sent to). The key comes from <c>Secrets__LookupKey</c> (a Key Vault secret in
/// Azure), as key material from which the HMAC key is derived with HKDF-SHA256. Unlike the encryption key it cannot
/// rotate: every such row is found under it.
/// </summary>
public sealed class LookupHasher
{
    public const string KeySetting = "Secrets:LookupKey";
    private readonly byte[] _key;

    public LookupHasher(string keyMaterial)
    {
        KeyMaterial.Require(keyMaterial, KeySetting);
        _key = KeyMaterial.Derive(keyMaterial, "paybylink lookup");
    }

    /// <exception cref="InvalidOperationException">No key is set.</exception>
    public static LookupHasher FromConfiguration(IConfiguration configuration) =>
        configuration[KeySetting] is { Length: > 0 } key
            ? new LookupHasher(key)
            : throw new InvalidOperationException($"Set {KeySetting.Replace(":", "__", StringComparison.Ordinal)}: the key rows are found under by a keyed hash.");

    /// <summary>The value's keyed hash, 64 lower-case hex digits.</summary>
    public string Hash(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value)));
}
