using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Core.Ports;
using PayByLink.Core.Staff.Ports;

namespace PayByLink.Core.Staff;

/// <summary>
/// Who may use a merchant's console: adding a person with a role (or changing it), listing, removing. A merchant always
/// keeps one admin: the last cannot be removed or made less. The first admin is added by the admin command.
/// </summary>
public sealed class StaffAdministration(IStaffStore staff, IMerchantStore merchants, TimeProvider clock)
{
    /// <exception cref="MerchantAdministrationException">An unknown merchant, a bad email or role, or the last admin made less.</exception>
    public async Task<StaffMember> AddAsync(string merchantId, string email, string role, CancellationToken cancellationToken)
    {
        var address = Address(email);
        if (!Enum.TryParse<StaffRole>(role, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(role, out _))
        {
            throw new MerchantAdministrationException($"'{role}' is not a role: give viewer, agent, operator or admin.");
        }

        await merchants.RequireAsync(merchantId, cancellationToken);
        var existing = await staff.FindAsync(merchantId, address, cancellationToken);
        if (existing is { Role: StaffRole.Admin } && parsed != StaffRole.Admin && await IsLastAdminAsync(merchantId, cancellationToken))
        {
            throw new MerchantAdministrationException($"{address} is {merchantId}'s last admin: add another admin first.");
        }

        var member = existing is null
            ? new StaffMember(merchantId, address, parsed, clock.GetUtcNow())
            : existing with { Role = parsed };
        await staff.SaveAsync(member, cancellationToken);
        return member;
    }

    /// <exception cref="MerchantAdministrationException">An unknown merchant.</exception>
    public async Task<IReadOnlyList<StaffMember>> ListAsync(string merchantId, CancellationToken cancellationToken)
    {
        await merchants.RequireAsync(merchantId, cancellationToken);
        return await staff.ListAsync(merchantId, cancellationToken);
    }

    /// <exception cref="MerchantAdministrationException">An unknown merchant or member, or the last admin.</exception>
    public async Task RemoveAsync(string merchantId, string email, CancellationToken cancellationToken)
    {
        var address = Address(email);
        await merchants.RequireAsync(merchantId, cancellationToken);
        var existing = await staff.FindAsync(merchantId, address, cancellationToken)
                       ?? throw new MerchantAdministrationException($"{address} is not one of {merchantId}'s users.");
        if (existing.Role == StaffRole.Admin && await IsLastAdminAsync(merchantId, cancellationToken))
        {
            throw new MerchantAdministrationException($"{address} is {merchantId}'s last admin: add another admin first.");
        }

        await staff.RemoveAsync(merchantId, address, cancellationToken);
    }

    private async Task<bool> IsLastAdminAsync(string merchantId, CancellationToken cancellationToken) =>
        (await staff.ListAsync(merchantId, cancellationToken)).Count(m => m.Role == StaffRole.Admin) <= 1;

    /// <summary>An email as staff are known by it: valid, and lower-cased (sign-in compares without regard to case).</summary>
    private static string Address(string email) =>
        ContactDetails.TryNormaliseEmail(email, out var normalised)
            ? normalised.ToLowerInvariant()
            : throw new MerchantAdministrationException($"'{email}' is not an email address.");
}
