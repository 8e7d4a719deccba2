using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.ConsoleApp;
using PayByLink.Core.Staff;
using PayByLink.Core.Staff.Ports;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Console;

/// <summary>
/// The console app as it runs in Azure, signing staff in with OpenID Connect against an issuer the test starts (its
/// discovery, keys, authorization and token endpoints), over real HTTP: a person is let in by the email an admin added,
/// their object id is bound at their first sign-in, and a token for that email with another object id is refused.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class ConsoleAppSignInTests(SuiteFixture suite) : IAsyncLifetime
{
    private TestOpenIdIssuer _issuer = null!;
    private WebApplication _app = null!;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        _issuer = await TestOpenIdIssuer.StartAsync();
        _app = await StartConsoleAppAsync(new()
        {
            ["Console:Authority"] = _issuer.Authority,
            ["Console:ClientId"] = TestOpenIdIssuer.ClientId,
            ["Console:ClientSecret"] = TestOpenIdIssuer.ClientSecret,
            ["Console:RequireHttpsMetadata"] = "false",
        });
        _baseUrl = Address(_app);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    private async Task<WebApplication> StartConsoleAppAsync(Dictionary<string, string> settings)
    {
        var all = new Dictionary<string, string>(settings)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["PayByLinkStorage"] = suite.Azurite.ConnectionString,
            ["PayByLink:PublicBaseUrl"] = "https://pay.example.com",
            ["Secrets:EncryptionKey"] = SuiteFixture.SecretsKey,
            ["Secrets:LookupKey"] = SuiteFixture.SecretsKey,
        };
        var app = ConsoleAppHost.Build(all.Select(s => $"--{s.Key}={s.Value}").ToArray());
        await app.StartAsync();
        return app;
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    /// <summary>Follows redirects one by one, as a browser does, across the console and the issuer; the console's cookies kept.</summary>
    private static async Task<(ConsoleAnswer Last, List<string> Visited)> FollowAsync(ConsoleClient browser, string url)
    {
        var visited = new List<string>();
        for (var hop = 0; hop < 10; hop++)
        {
            visited.Add(url);
            using var response = await browser.Http.GetAsync(url);
            var answer = await ConsoleAnswer.ReadAsync(response);
            if (answer.Status != HttpStatusCode.Found)
            {
                return (answer, visited);
            }

            url = new Uri(new Uri(url), answer.Location!).ToString();
        }

        throw new InvalidOperationException("Too many redirects: " + string.Join(" -> ", visited));
    }

    [Fact]
    public async Task A_person_signs_in_with_the_issuer_by_the_email_an_admin_added_and_their_object_id_is_bound()
    {
        var merchant = await suite.NewMerchantAsync();
        var email = await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Agent);
        _issuer.Next = new TestOpenIdIssuer.Person("oid-" + Guid.NewGuid().ToString("N")[..8], email.ToUpperInvariant(), "Alice Agent");
        using var browser = new ConsoleClient(_baseUrl);

        var (page, visited) = await FollowAsync(browser, _baseUrl + "/console/requests/new");

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Text.ShouldContain("Send a payment link");
        page.Text.ShouldContain("Alice Agent (agent)");
        visited[1].ShouldStartWith(_baseUrl + "/console/sign-in?returnUrl=");
        visited[2].ShouldStartWith(_issuer.Authority + "/authorize?client_id=console-test-client");
        visited[2].ShouldNotContain("form_post"); // the answer comes back as a GET, which SameSite=Lax cookies go with
        visited[2].ShouldContain("code_challenge_method=S256");
        visited[3].ShouldStartWith(_baseUrl + "/console/signin-oidc?code=");
        visited.Last().ShouldBe(_baseUrl + "/console/requests/new");
        var member = await suite.Runtime.Services.GetRequiredService<IStaffStore>().FindAsync(merchant.Merchant.Id, email, CancellationToken.None);
        member!.ObjectId.ShouldBe(_issuer.Next.ObjectId);

        // A link sent here is made by the API's own use case, with the person as its actor.
        var sent = await browser.SubmitAsync("console/requests/new", "console/requests/new", ConsoleForms.NewRequest("ENTRA-1", send: true));
        sent.Status.ShouldBe(HttpStatusCode.Found);
        var events = await merchant.Http.ReadJsonAsync($"api/v1/payment-requests/{sent.Location!.Split('/').Last().Split('?')[0]}/events");
        events.GetProperty("items")[0].GetProperty("actor").Str("name").ShouldBe("Alice Agent");

        // Signing out ends the console's session and goes on to the issuer's.
        var signOut = await browser.SubmitAsync("console/requests", "console/sign-out", []);
        signOut.Status.ShouldBe(HttpStatusCode.Found);
        signOut.Location!.ShouldStartWith(_issuer.Authority + "/logout");
        (await browser.GetAsync("console")).Status.ShouldBe(HttpStatusCode.Found);
    }

    [Fact]
    public async Task A_token_for_an_added_email_with_another_object_id_is_refused()
    {
        var merchant = await suite.NewMerchantAsync();
        var email = await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Viewer);
        _issuer.Next = new TestOpenIdIssuer.Person("oid-first-" + Guid.NewGuid().ToString("N")[..6], email, "First");
        using (var first = new ConsoleClient(_baseUrl))
        {
            (await FollowAsync(first, _baseUrl + "/console")).Last.Status.ShouldBe(HttpStatusCode.OK);
        }

        _issuer.Next = new TestOpenIdIssuer.Person("oid-other-" + Guid.NewGuid().ToString("N")[..6], email, "Someone else");
        using var other = new ConsoleClient(_baseUrl);
        var (page, _) = await FollowAsync(other, _baseUrl + "/console");

        page.Status.ShouldBe(HttpStatusCode.Forbidden);
        page.Text.ShouldContain("We could not sign you in");
        (await other.GetAsync("console")).Status.ShouldBe(HttpStatusCode.Found);
    }

    [Fact]
    public async Task With_an_issuer_the_development_sign_in_is_not_there_and_forms_may_lead_only_to_the_issuer()
    {
        using var browser = new ConsoleClient(_baseUrl);
        var devSignIn = await browser.GetAsync("console/dev/sign-in");
        devSignIn.Status.ShouldBe(HttpStatusCode.NotFound);
        devSignIn.Headers.GetValues("Content-Security-Policy").Single().ShouldContain($"form-action 'self' {_issuer.Authority};");
    }

    [Fact]
    public async Task In_azure_without_an_issuer_nobody_can_sign_in_and_the_cookies_are_host_only_and_secure()
    {
        // App Service ends TLS in front of the app and says so in X-Forwarded-Proto (ASPNETCORE_FORWARDEDHEADERS_ENABLED).
        await using var app = await StartConsoleAppAsync(new() { ["PAYBYLINK_ENVIRONMENT"] = "Azure", ["FORWARDEDHEADERS_ENABLED"] = "true" });
        using var browser = new ConsoleClient(Address(app));
        browser.Http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        (await browser.GetAsync("console/dev/sign-in")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await browser.GetAsync("console/sign-in")).Status.ShouldBe(HttpStatusCode.NotFound);
        using var response = await browser.Http.GetAsync("console/sign-out");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Set-Cookie").Single().ShouldStartWith("__Host-pbl-form=");
        response.Headers.GetValues("Set-Cookie").Single().ShouldContain("secure");
    }
}
