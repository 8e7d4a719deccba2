using PayByLink.Core.Staff;
using PayByLink.Core.Staff.Ports;

namespace PayByLink.Testing.InMemory;

/// <summary>Staff in memory.</summary>
public sealed class InMemoryStaff : IStaffStore
{
    private readonly VersionedRows<(string MerchantId, string Email), StaffMember> _members = new();

    public Task SaveAsync(StaffMember member, CancellationToken cancellationToken)
    {
        _members.Upsert((member.MerchantId, member.Email), member);
        return Task.CompletedTask;
    }

    public Task<bool> RemoveAsync(string merchantId, string email, CancellationToken cancellationToken) =>
        Task.FromResult(_members.Remove((merchantId, email)));

    public Task<StaffMember?> FindAsync(string merchantId, string email, CancellationToken cancellationToken) =>
        Task.FromResult(_members.Find((merchantId, email))?.Value);

    public Task<IReadOnlyList<StaffMember>> ListAsync(string merchantId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StaffMember>>(_members.Where(k => k.MerchantId == merchantId).Select(r => r.Value)
            .OrderBy(m => m.Email, StringComparer.Ordinal).ToList());

    public Task<IReadOnlyList<StaffMember>> MembershipsAsync(string email, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StaffMember>>(_members.Where(k => k.Email == email).Select(r => r.Value)
            .OrderBy(m => m.MerchantId, StringComparer.Ordinal).ToList());
}
