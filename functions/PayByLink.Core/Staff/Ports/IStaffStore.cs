namespace PayByLink.Core.Staff.Ports;

/// <summary>Each merchant's staff, and each person's merchants.</summary>
public interface IStaffStore
{
    /// <summary>Adds the member, or changes the role of one already there.</summary>
    Task SaveAsync(StaffMember member, CancellationToken cancellationToken);

    /// <summary>Removes the member; false when there was none.</summary>
    Task<bool> RemoveAsync(string merchantId, string email, CancellationToken cancellationToken);

    Task<StaffMember?> FindAsync(string merchantId, string email, CancellationToken cancellationToken);

    /// <summary>The merchant's staff, by email.</summary>
    Task<IReadOnlyList<StaffMember>> ListAsync(string merchantId, CancellationToken cancellationToken);

    /// <summary>Every merchant the person belongs to, by merchant id.</summary>
    Task<IReadOnlyList<StaffMember>> MembershipsAsync(string email, CancellationToken cancellationToken);
}
