using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters.Secrets;

namespace PayByLink.StaffConsole;

/// <summary>Reads a key <see cref="ConsoleKeyEncryptor"/> encrypted, with the current or the previous stored-secrets key.</summary>
public sealed class ConsoleKeyDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(services.GetRequiredService<SecretProtector>().Unprotect(encryptedElement.Value));
}
