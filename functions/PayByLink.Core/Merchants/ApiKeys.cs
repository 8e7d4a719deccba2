using System.Security.Cryptography;
using System.Text;

namespace PayByLink.Core.Merchants;

/// <summary>How subscription keys are hashed and identified. Keys carry 256 random bits, so one SHA-256 suffices.</summary>
public static class ApiKeys
{
    public const int MaxKeyLength = 200;
    public const int MinKeyLength = 20;

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The key's id: the first 16 hex digits of its hash, enough to find it, useless to forge it.</summary>
    public static string KeyId(byte[] hash) => Convert.ToHexStringLower(hash, 0, 8);

    public static string Hint(string key) => "…" + key[^4..];
}
