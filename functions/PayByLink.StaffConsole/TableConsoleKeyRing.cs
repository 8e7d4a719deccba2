using System.Xml.Linq;
using Azure.Data.Tables;
using Microsoft.AspNetCore.DataProtection.Repositories;
using PayByLink.Adapters.Storage;

namespace PayByLink.StaffConsole;

/// <summary>
/// The console's data-protection keys (they sign its session cookies and form tokens), shared by every instance and
/// kept across restarts: one row each in <c>ConsoleKeys</c>. Each key is encrypted with the stored-secrets key before
/// it is stored (<see cref="ConsoleKeyEncryptor"/>), so storage alone never holds a key that opens a session.
/// </summary>
public sealed class TableConsoleKeyRing(StorageClients storage) : IXmlRepository
{
    private const string Partition = "keys";

    private TableClient Table => storage.Table(StorageNames.ConsoleKeysTable);

    public IReadOnlyCollection<XElement> GetAllElements() =>
        Table.Query<TableEntity>(e => e.PartitionKey == Partition).Select(e => XElement.Parse(e.GetString("Xml"))).ToList();

    public void StoreElement(XElement element, string friendlyName) =>
        Table.UpsertEntity(new TableEntity(Partition, friendlyName) { ["Xml"] = element.ToString(SaveOptions.DisableFormatting) });
}
