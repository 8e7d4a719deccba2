using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using PayByLink.Adapters.Secrets;
using PayByLink.Adapters.Storage;

namespace PayByLink.StaffConsole;

/// <summary>
/// The console's sessions, kept on the server: the cookie holds only a session's random id, and its row in
/// <c>ConsoleSessions</c> holds who it is (encrypted) and when it ends. Signing out deletes the row, so a copy of the
/// cookie is worth nothing after; a session idle for the timeout is over even if its cookie is replayed.
/// </summary>
public sealed class TableSessionStore(StorageClients storage, SecretProtector protector, TimeProvider clock) : ITicketStore
{
    private const string Partition = "sessions";
    private static readonly TicketSerializer Serializer = TicketSerializer.Default;

    private TableClient Table => storage.Table(StorageNames.ConsoleSessionsTable);

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await RenewAsync(key, ticket);
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket) =>
        await Table.UpsertEntityAsync(new TableEntity(Partition, key)
        {
            ["Ticket"] = protector.Protect(Convert.ToBase64String(Serializer.Serialize(ticket))),
            ["ExpiresAt"] = ticket.Properties.ExpiresUtc ?? clock.GetUtcNow(),
        }, TableUpdateMode.Replace);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        try
        {
            var row = (await Table.GetEntityAsync<TableEntity>(Partition, key)).Value;
            return row.GetDateTimeOffset("ExpiresAt") > clock.GetUtcNow()
                ? Serializer.Deserialize(Convert.FromBase64String(protector.Unprotect(row.GetString("Ticket"))))
                : null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task RemoveAsync(string key)
    {
        try
        {
            await Table.DeleteEntityAsync(Partition, key);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }
}
