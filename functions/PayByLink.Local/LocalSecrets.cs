using System.Security.Cryptography;
using System.Text;
using PayByLink.Adapters;
using PayByLink.Adapters.Secrets;

namespace PayByLink.Local;

/// <summary>
/// The key that encrypts stored secrets and the key rows are found under by a keyed hash (<see cref="LookupHasher"/>, the same
/// material unless <c>Secrets__LookupKey</c> is set), on a developer's machine, when <c>Secrets__EncryptionKey</c> is not set:
/// kept in the data folder beside Azurite's data (<c>secrets-key</c>, made once), or, for storage given by its
/// connection string and no data folder of its own (as tests run), derived from that connection string, so that
/// every runtime on the same storage reads what another wrote.
/// </summary>
public static class LocalSecrets
{
    public const string KeyFile = "secrets-key";

    public static void EnsureKey(IConfiguration configuration)
    {
        EnsureEncryptionKey(configuration);

        // Locally the lookup key is the same material: the two keys derived from it differ (HKDF, another label).
        if (string.IsNullOrEmpty(configuration[LookupHasher.KeySetting]))
        {
            configuration[LookupHasher.KeySetting] = configuration[SecretProtector.KeySetting];
        }
    }

    private static void EnsureEncryptionKey(IConfiguration configuration)
    {
        if (!string.IsNullOrEmpty(configuration[SecretProtector.KeySetting]))
        {
            return;
        }

        var storage = configuration[PayByLinkServices.StorageConnection];
        if (!string.IsNullOrWhiteSpace(storage) && string.IsNullOrWhiteSpace(configuration[LocalStorage.DataFolderSetting]))
        {
            configuration[SecretProtector.KeySetting] = "local:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(storage)));
            return;
        }

        var file = Path.Combine(LocalStorage.DataFolder(configuration), KeyFile);
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        configuration[SecretProtector.KeySetting] = File.ReadAllText(file).Trim();
    }
}
