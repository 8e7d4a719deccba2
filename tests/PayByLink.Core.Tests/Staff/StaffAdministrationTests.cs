using Microsoft.Extensions.Time.Testing;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Core.Staff;
using PayByLink.Testing.InMemory;

namespace PayByLink.Core.Tests.Staff;

public class StaffAdministrationTests
{
    private readonly InMemoryStaff _staff = new();
    private readonly InMemoryMerchants _merchants = new();
    private readonly StaffAdministration _administration;

    public StaffAdministrationTests()
    {
        _administration = new StaffAdministration(_staff, _merchants, new FakeTimeProvider());
        _merchants.TryAddAsync(new Merchant("acme", "Acme", "GBP", 1000m), CancellationToken.None).GetAwaiter().GetResult();
        _merchants.TryAddAsync(new Merchant("bolt", "Bolt", "GBP", 1000m), CancellationToken.None).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task A_person_is_added_by_email_in_any_case_with_a_role_in_each_merchant_they_belong_to()
    {
        await _administration.AddAsync("acme", "Ann.Admin@Example.com", "admin", CancellationToken.None);
        await _administration.AddAsync("bolt", "ann.admin@example.com", "Viewer", CancellationToken.None);
        await _administration.AddAsync("acme", "al@example.com", "agent", CancellationToken.None);

        (await _administration.ListAsync("acme", CancellationToken.None)).Select(m => (m.Email, m.Role))
            .ShouldBe([("al@example.com", StaffRole.Agent), ("ann.admin@example.com", StaffRole.Admin)]);
        (await _staff.MembershipsAsync("ann.admin@example.com", CancellationToken.None)).Select(m => (m.MerchantId, m.Role))
            .ShouldBe([("acme", StaffRole.Admin), ("bolt", StaffRole.Viewer)]);

        var promoted = await _administration.AddAsync("acme", "al@example.com", "operator", CancellationToken.None);
        (promoted.Role, promoted.May(StaffRole.Agent), promoted.May(StaffRole.Admin)).ShouldBe((StaffRole.Operator, true, false));
    }

    [Fact]
    public async Task The_last_admin_cannot_be_removed_or_made_less_and_bad_input_is_refused_by_name()
    {
        await _administration.AddAsync("acme", "ann@example.com", "admin", CancellationToken.None);

        (await Should.ThrowAsync<MerchantAdministrationException>(() => _administration.RemoveAsync("acme", "ann@example.com", CancellationToken.None)))
            .Message.ShouldContain("last admin");
        await Should.ThrowAsync<MerchantAdministrationException>(() => _administration.AddAsync("acme", "ann@example.com", "agent", CancellationToken.None));
        await _administration.AddAsync("acme", "bea@example.com", "admin", CancellationToken.None);
        await _administration.RemoveAsync("acme", "ANN@example.com", CancellationToken.None);
        (await _administration.ListAsync("acme", CancellationToken.None)).Select(m => m.Email).ShouldBe(["bea@example.com"]);

        (await Should.ThrowAsync<MerchantAdministrationException>(() => _administration.AddAsync("acme", "x@example.com", "owner", CancellationToken.None)))
            .Message.ShouldContain("viewer, agent, operator or admin");
        await Should.ThrowAsync<MerchantAdministrationException>(() => _administration.AddAsync("acme", "x@example.com", "3", CancellationToken.None));
        await Should.ThrowAsync<MerchantAdministrationException>(() => _administration.AddAsync("acme", "not an email", "agent", CancellationToken.None));
        await Should.ThrowAsync<MerchantAdministrationException>(() => _administration.AddAsync("nobody", "x@example.com", "agent", CancellationToken.None));
        await Should.ThrowAsync<MerchantAdministrationException>(() => _administration.RemoveAsync("acme", "x@example.com", CancellationToken.None));
    }
}
