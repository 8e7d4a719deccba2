using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using PayByLink.Adapters.Secrets;

namespace PayByLink.StaffConsole;

/// <summary>Encrypts a console key with the stored-secrets key (AES-256-GCM) before the ring stores it.</summary>
public sealed class ConsoleKeyEncryptor(SecretProtector protector) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(new XElement("protected", protector.Protect(plaintextElement.ToString(SaveOptions.DisableFormatting))), typeof(ConsoleKeyDecryptor));
}
