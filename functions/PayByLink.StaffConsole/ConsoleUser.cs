using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Staff;

namespace PayByLink.StaffConsole;

/// <summary>
/// The signed-in person on this request: who they are, the merchant they are working for and their role in it, and every
/// merchant they belong to. Read from storage on every request, so a removed user or a changed role counts at once.
/// </summary>
public sealed record ConsoleUser(string Email, string Name, StaffMember? Member, Merchant? Merchant, IReadOnlyList<StaffMember> Memberships)
{
    /// <summary>Who the console's changes are made by, on their events.</summary>
    public Actor Actor => Actor.User(Email, Name);

    public bool May(StaffRole role) => Member?.May(role) == true;
}
