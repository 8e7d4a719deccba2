using System.Security.Cryptography;
using System.Text;

namespace PayByLink.Adapters.Secrets;

/// <summary>Key material from a setting, made into a 32-byte key for one purpose with HKDF-SHA256.</summary>
internal static class KeyMaterial
{
    /// <exception cref="ArgumentException">The setting holds no key: it is empty, or a Key Vault reference the platform could not resolve.</exception>
    public static void Require(string material, string setting)
    {
        if (string.IsNullOrWhiteSpace(material) || material.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{setting} holds no key (a Key Vault reference the platform could not resolve?).", "keyMaterial");
        }
    }

    public static byte[] Derive(string material, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(material), 32, info: Encoding.UTF8.GetBytes(purpose));
}
