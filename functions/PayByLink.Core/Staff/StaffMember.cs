namespace PayByLink.Core.Staff;

/// <summary>
/// A person who may use a merchant's console, by their email (lower-cased), with their role. A person may belong to
/// several merchants, with a role in each. <see cref="ObjectId"/> is their Microsoft Entra object id once they have
/// signed in with it, so a changed email in the directory still finds them.
/// </summary>
public sealed record StaffMember(string MerchantId, string Email, StaffRole Role, DateTimeOffset AddedAt, string? ObjectId = null)
{
    public bool May(StaffRole needed) => Role >= needed;
}
