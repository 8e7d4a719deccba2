using System.Net;
using System.Text.RegularExpressions;
using PayByLink.Core.Staff;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Console;

/// <summary>An admin issues, watches and revokes API keys in the console, over real HTTP; the API honours each change at once.</summary>
[Collection(SuiteCollection.Name)]
public sealed partial class ConsoleKeysTests(SuiteFixture suite)
{
    [Fact]
    public async Task A_key_issued_in_the_console_is_shown_once_works_on_the_api_shows_its_last_use_and_stops_working_when_revoked()
    {
        var merchant = await suite.NewMerchantAsync();
        using var admin = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Admin));

        var issued = await admin.SubmitAsync("console/admin/keys", "console/admin/keys", []);
        issued.Status.ShouldBe(HttpStatusCode.OK);
        issued.Text.ShouldContain("it is shown only this once");
        var key = NewKey().Match(issued.Html).Groups[1].Value;
        key.Length.ShouldBeGreaterThan(20);
        (await admin.GetAsync("console/admin/keys")).Html.ShouldNotContain(key, customMessage: "the key is never shown again");

        var api = suite.ClientWithKey(key);
        (await api.GetAsync("api/v1/batches")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var list = await admin.GetAsync("console/admin/keys");
        var keyId = PayByLink.Core.Merchants.ApiKeys.KeyId(PayByLink.Core.Merchants.ApiKeys.Hash(key));
        list.Html.ShouldContain($"/console/admin/keys/{keyId}/revoke");
        var row = Regex.Match(list.Html, $"<code>{keyId}</code>.*?</tr>", RegexOptions.Singleline).Value;
        row.ShouldNotContain("never", customMessage: "the new key's last use is shown");
        row.ShouldContain(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var confirm = await admin.GetAsync($"console/admin/keys/{keyId}/revoke");
        confirm.Text.ShouldContain($"Revoke key {keyId}?");
        var revoked = await admin.PostAsync($"console/admin/keys/{keyId}/revoke", ConsoleClient.Token(confirm.Html), []);
        revoked.Status.ShouldBe(HttpStatusCode.Redirect);
        (await api.GetAsync("api/v1/batches")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await admin.GetAsync("console/admin/keys")).Text.ShouldContain("Revoked");
        (await admin.GetAsync($"console/admin/keys/{keyId}/revoke")).Status.ShouldBe(HttpStatusCode.NotFound, "a revoked key has nothing to revoke");
    }

    [Fact]
    public async Task Only_admins_see_keys_and_another_merchants_key_cannot_be_revoked()
    {
        var merchant = await suite.NewMerchantAsync();
        var other = await suite.NewMerchantAsync();
        using var operatorBrowser = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Operator));
        using var admin = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Admin));
        using var theirAdmin = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, other.Merchant.Id, StaffRole.Admin));
        var theirKeyId = Regex.Match((await theirAdmin.GetAsync("console/admin/keys")).Html, "<code>([0-9a-f]{16})</code>").Groups[1].Value;

        (await operatorBrowser.GetAsync("console/admin/keys")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetAsync($"console/admin/keys/{theirKeyId}/revoke")).Status.ShouldBe(HttpStatusCode.NotFound);
        var page = await admin.GetAsync("console/admin/keys");
        (await admin.PostAsync($"console/admin/keys/{theirKeyId}/revoke", ConsoleClient.Token(page.Html), [])).Status.ShouldBe(HttpStatusCode.NotFound);
        (await other.Http.GetAsync("api/v1/batches")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [GeneratedRegex("id=\"new-key\" type=\"text\" readonly value=\"([^\"]+)\"")]
    private static partial Regex NewKey();
}
