using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Staff;
using PayByLink.Core.Staff.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Staff in the <c>Staff</c> table, each membership twice: in the merchant's partition (<c>{merchant}</c>, rows
/// <c>user|{email}</c>), so a merchant's list is one partition; and in the person's (<c>email|{email}</c>, rows
/// <c>{merchant}</c>), so sign-in finds every merchant they belong to in one. The person's row is written first and
/// removed last, so a membership half made is finished by a repeat and never grants what the merchant's list does not show.
/// </summary>
public sealed class TableStaffStore(StorageClients storage) : IStaffStore
{
    private const string UserPrefix = "user|";
    private readonly TableClient _table = storage.Table(StorageNames.StaffTable);

    public async Task SaveAsync(StaffMember member, CancellationToken cancellationToken)
    {
        await _table.UpsertEntityAsync(Entity(PersonPartition(member.Email), member.MerchantId, member), TableUpdateMode.Replace, cancellationToken);
        await _table.UpsertEntityAsync(Entity(member.MerchantId, UserPrefix + member.Email, member), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<bool> RemoveAsync(string merchantId, string email, CancellationToken cancellationToken)
    {
        var removed = await DeleteAsync(merchantId, UserPrefix + email, cancellationToken);
        await DeleteAsync(PersonPartition(email), merchantId, cancellationToken);
        return removed;
    }

    public async Task<StaffMember?> FindAsync(string merchantId, string email, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(merchantId, UserPrefix + email, cancellationToken: cancellationToken);
        return row.HasValue ? Read(merchantId, email, row.Value!) : null;
    }

    public async Task<IReadOnlyList<StaffMember>> ListAsync(string merchantId, CancellationToken cancellationToken)
    {
        var members = new List<StaffMember>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {merchantId} and RowKey gt {UserPrefix} and RowKey lt {"user}"}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            members.Add(Read(merchantId, row.RowKey[UserPrefix.Length..], row));
        }

        return members;
    }

    public async Task<IReadOnlyList<StaffMember>> MembershipsAsync(string email, CancellationToken cancellationToken)
    {
        var members = new List<StaffMember>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PersonPartition(email)}"),
                           cancellationToken: cancellationToken))
        {
            // The merchant's own row is the truth: a membership half removed grants nothing.
            if (await FindAsync(row.RowKey, email, cancellationToken) is { } member)
            {
                members.Add(member);
            }
        }

        return members;
    }

    private async Task<bool> DeleteAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    private static string PersonPartition(string email) => "email|" + TableKeys.Escape(email);

    private static TableEntity Entity(string partitionKey, string rowKey, StaffMember member) => new(partitionKey, rowKey)
    {
        ["Role"] = member.Role.ToString(),
        ["AddedAt"] = member.AddedAt,
        ["ObjectId"] = member.ObjectId,
    };

    private static StaffMember Read(string merchantId, string email, TableEntity row) =>
        new(merchantId, email, Enum.Parse<StaffRole>(row.GetString("Role")), row.GetDateTimeOffset("AddedAt")!.Value, row.GetString("ObjectId"));
}
