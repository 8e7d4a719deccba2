using System.Net;
using PayByLink.Core.Staff;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Console;

/// <summary>An admin manages the merchant's console users in the console, by the same rules as the commands.</summary>
[Collection(SuiteCollection.Name)]
public sealed class ConsoleUsersTests(SuiteFixture suite)
{
    [Fact]
    public async Task An_admin_adds_a_user_who_can_then_sign_in_changes_their_role_and_removes_them()
    {
        var merchant = await suite.NewMerchantAsync();
        using var admin = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Admin));
        var newcomer = $"new-{Guid.NewGuid():N}"[..16] + "@example.com";

        var added = await admin.SubmitAsync("console/admin/users", "console/admin/users", new() { ["email"] = newcomer.ToUpperInvariant(), ["role"] = "viewer" });
        added.Location.ShouldBe("/console/admin/users?done=added");
        using var them = await ConsoleClient.SignedInAsync(suite, newcomer);
        (await them.GetAsync("console/requests/new")).Status.ShouldBe(HttpStatusCode.Forbidden);

        var changed = await admin.SubmitAsync("console/admin/users", "console/admin/users", new() { ["email"] = newcomer, ["role"] = "agent" });
        changed.Location.ShouldBe("/console/admin/users?done=changed");
        (await them.GetAsync("console/requests/new")).Status.ShouldBe(HttpStatusCode.OK);

        var page = await admin.GetAsync("console/admin/users");
        page.Text.ShouldContain(newcomer);
        var removed = await admin.PostAsync("console/admin/users/remove", ConsoleClient.Token(page.Html), new() { ["email"] = newcomer });
        removed.Location.ShouldBe("/console/admin/users?done=removed");
        (await them.GetAsync("console/requests")).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_last_admin_cannot_be_removed_or_made_less_and_a_bad_email_or_role_is_refused_with_the_reason()
    {
        var merchant = await suite.NewMerchantAsync();
        var email = await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Admin);
        using var admin = await ConsoleClient.SignedInAsync(suite, email);

        var removing = await admin.SubmitAsync("console/admin/users", "console/admin/users/remove", new() { ["email"] = email });
        removing.Status.ShouldBe(HttpStatusCode.BadRequest);
        removing.Text.ShouldContain($"{email} is {merchant.Merchant.Id}'s last admin: add another admin first.");
        var demoting = await admin.SubmitAsync("console/admin/users", "console/admin/users", new() { ["email"] = email, ["role"] = "agent" });
        demoting.Status.ShouldBe(HttpStatusCode.BadRequest);
        var bad = await admin.SubmitAsync("console/admin/users", "console/admin/users", new() { ["email"] = "not-an-email", ["role"] = "agent" });
        bad.Html.ShouldContain("<a href=\"#email\">");
        bad.Text.ShouldContain("'not-an-email' is not an email address.");
        var badRole = await admin.SubmitAsync("console/admin/users", "console/admin/users", new() { ["email"] = "x@example.com", ["role"] = "owner" });
        badRole.Text.ShouldContain("'owner' is not a role");
        (await admin.GetAsync("console")).Text.ShouldContain("(admin)");
    }

    [Fact]
    public async Task An_agent_or_operator_cannot_reach_the_admin_pages_or_post_to_them()
    {
        var merchant = await suite.NewMerchantAsync();
        foreach (var role in new[] { StaffRole.Agent, StaffRole.Operator })
        {
            using var browser = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, role));
            var page = await browser.GetAsync("console/admin/users");
            page.Status.ShouldBe(HttpStatusCode.Forbidden);
            page.Text.ShouldContain("It needs the admin role");
            page.Html.ShouldNotContain("href=\"/console/admin/users\""); // not in the navigation either
            var post = await browser.SubmitAsync("console/requests", "console/admin/users", new() { ["email"] = "sneaky@example.com", ["role"] = "admin" });
            post.Status.ShouldBe(HttpStatusCode.Forbidden);
        }
    }
}
