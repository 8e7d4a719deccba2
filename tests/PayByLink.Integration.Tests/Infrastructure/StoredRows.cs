using Azure.Data.Tables;
using PayByLink.Adapters.Storage;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>Every row of every table the suite uses, as text (<c>name=value</c> a line), with where it is: for tests that prove a value is stored nowhere.</summary>
public static class StoredRows
{
    public static async Task<List<(string Where, string Text)>> ReadAsync(StorageClients storage, string? except = null)
    {
        var rows = new List<(string, string)>();
        foreach (var name in StorageNames.Tables.Where(t => t != except))
        {
            await foreach (var row in storage.Table(name).QueryAsync<TableEntity>())
            {
                rows.Add(($"{name}({row.PartitionKey}, {row.RowKey})", string.Join('\n', row.Select(p => $"{p.Key}={p.Value}"))));
            }
        }

        return rows;
    }

    /// <summary>All of them as one text.</summary>
    public static async Task<string> TextAsync(StorageClients storage, string? except = null) =>
        string.Join('\n', (await ReadAsync(storage, except)).Select(r => r.Text));
}
