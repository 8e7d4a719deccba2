using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Staff;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Console;

/// <summary>
/// Who gets into the console and what they may do there, over real HTTP against the local runtime: sign-in and back,
/// sessions that end, form tokens, roles, and one merchant's requests kept from another's staff.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class ConsoleAccessTests(SuiteFixture suite)
{
    [Fact]
    public async Task A_signed_out_visit_goes_to_sign_in_and_comes_back_to_the_page_it_asked_for()
    {
        var merchant = await suite.NewMerchantAsync();
        var email = await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Viewer);
        using var browser = new ConsoleClient(suite.BaseUrl);

        var visit = await browser.GetAsync("console/requests?status=Paid");
        visit.Status.ShouldBe(HttpStatusCode.Found);
        visit.Location.ShouldBe("/console/sign-in?returnUrl=%2Fconsole%2Frequests%3Fstatus%3DPaid");
        var signIn = await browser.GetAsync(visit.Location!.TrimStart('/'));
        signIn.Location.ShouldBe("/console/dev/sign-in?returnUrl=%2Fconsole%2Frequests%3Fstatus%3DPaid");

        var (status, location) = await browser.SignInAsync(email.ToUpperInvariant(), "/console/requests?status=Paid");
        status.ShouldBe(HttpStatusCode.Found);
        location.ShouldBe("/console/requests?status=Paid");
        var page = await browser.GetAsync(location.TrimStart('/'));
        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Text.ShouldContain("Acme Energy");
        page.Text.ShouldContain("(viewer)");
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_and_same_site_and_pages_carry_the_strict_headers()
    {
        var merchant = await suite.NewMerchantAsync();
        var email = await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Agent);
        using var browser = new ConsoleClient(suite.BaseUrl);
        var form = await browser.GetAsync("console/dev/sign-in");
        using var response = await browser.Http.PostAsync("console/dev/sign-in",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__form"] = ConsoleClient.Token(form.Html), ["email"] = email }));

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pbl-console=", StringComparison.Ordinal));
        cookie.ShouldContain("httponly");
        cookie.ShouldContain("samesite=lax");
        cookie.ShouldNotContain("expires", Case.Insensitive); // a session cookie: gone when the browser closes

        var page = await browser.GetAsync("console");
        page.Headers.GetValues("Content-Security-Policy").Single()
            .ShouldBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
                $"connect-src 'self' {suite.Storage.BlobOrigin}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        page.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        page.Headers.GetValues("Strict-Transport-Security").Single().ShouldStartWith("max-age=");
        page.Headers.CacheControl!.NoStore.ShouldBeTrue();
        page.Html.ShouldNotContain("<script>");
    }

    [Fact]
    public async Task An_unknown_email_is_refused_with_the_reason_and_no_session()
    {
        using var browser = new ConsoleClient(suite.BaseUrl);
        var (status, body) = await browser.SignInAsync("nobody-here@example.com");

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldContain("No merchant has a console user nobody-here@example.com");
        (await browser.GetAsync("console")).Status.ShouldBe(HttpStatusCode.Found);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_copied_cookie_opens_nothing()
    {
        var merchant = await suite.NewMerchantAsync();
        var email = await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Agent);
        using var browser = await ConsoleClient.SignedInAsync(suite, email);
        var stolen = browser.Cookies.GetCookieHeader(browser.Http.BaseAddress!);
        (await browser.GetAsync("console")).Status.ShouldBe(HttpStatusCode.OK);

        var signOut = await browser.SubmitAsync("console/sign-out", "console/sign-out", []);
        signOut.Status.ShouldBe(HttpStatusCode.OK);
        signOut.Text.ShouldContain("You are signed out");

        (await browser.GetAsync("console")).Status.ShouldBe(HttpStatusCode.Found);
        using var replay = new HttpRequestMessage(HttpMethod.Get, "console");
        replay.Headers.Add("Cookie", stolen);
        using var plain = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = browser.Http.BaseAddress };
        (await plain.SendAsync(replay)).StatusCode.ShouldBe(HttpStatusCode.Found);
    }

    [Fact]
    public async Task A_form_post_without_its_token_or_with_another_session_s_is_refused_and_changes_nothing()
    {
        var merchant = await suite.NewMerchantAsync();
        var email = await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Agent);
        using var agent = await ConsoleClient.SignedInAsync(suite, email);
        using var other = await ConsoleClient.SignedInAsync(suite, email);
        var fields = ConsoleForms.NewRequest("CON-TOKEN-1");

        var forged = await agent.PostAsync("console/requests/new", null, fields);
        forged.Status.ShouldBe(HttpStatusCode.BadRequest);
        forged.Text.ShouldContain("This form has expired");

        var stale = await agent.PostAsync("console/requests/new", ConsoleClient.Token((await other.GetAsync("console/requests/new")).Html), fields);
        stale.Status.ShouldBe(HttpStatusCode.BadRequest);

        var list = await merchant.Http.GetAsync("api/v1/payment-requests?clientTransactionRef=CON-TOKEN-1");
        (await list.JsonAsync()).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_viewer_sees_requests_but_gets_a_403_page_for_sending_and_its_post()
    {
        var merchant = await suite.NewMerchantAsync();
        var viewer = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Viewer));

        (await viewer.GetAsync("console/requests")).Status.ShouldBe(HttpStatusCode.OK);
        var page = await viewer.GetAsync("console/requests/new");
        page.Status.ShouldBe(HttpStatusCode.Forbidden);
        page.Text.ShouldContain("It needs the agent role; you are viewer for Acme Energy");
        var post = await viewer.PostAsync("console/requests/new", ConsoleClient.Token((await viewer.GetAsync("console/requests")).Html),
            ConsoleForms.NewRequest("CON-VIEWER-1", send: true));
        post.Status.ShouldBe(HttpStatusCode.Forbidden);
        (await (await merchant.Http.GetAsync("api/v1/payment-requests?clientTransactionRef=CON-VIEWER-1")).JsonAsync())
            .GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Another_merchant_s_request_is_a_404_page_like_one_that_does_not_exist()
    {
        var mine = await suite.NewMerchantAsync();
        var theirs = await suite.NewMerchantAsync();
        var theirRequest = (await (await theirs.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");
        using var agent = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, mine.Merchant.Id, StaffRole.Agent));

        foreach (var path in new[] { $"console/requests/{theirRequest}", $"console/requests/{theirRequest}/progress", "console/requests/pr_doesnotexist" })
        {
            var page = await agent.GetAsync(path);
            page.Status.ShouldBe(HttpStatusCode.NotFound, path);
            page.Text.ShouldContain("Page not found");
            page.Text.ShouldNotContain("Jane");
        }

        var cancel = await agent.SubmitAsync("console/requests", $"console/requests/{theirRequest}/cancel", []);
        cancel.Status.ShouldBe(HttpStatusCode.NotFound);
        (await theirs.Http.ReadJsonAsync($"api/v1/payment-requests/{theirRequest}")).Str("status").ShouldNotBe("Cancelled");
    }

    [Fact]
    public async Task A_person_of_two_merchants_picks_one_and_sees_only_its_requests()
    {
        var first = await suite.NewMerchantAsync();
        var second = await suite.NewMerchantAsync();
        var email = await ConsoleClient.AddUserAsync(suite, first.Merchant.Id, StaffRole.Agent);
        await ConsoleClient.AddUserAsync(suite, second.Merchant.Id, StaffRole.Viewer, email);
        using var browser = await ConsoleClient.SignedInAsync(suite, email);

        var picker = await browser.GetAsync("console");
        picker.Text.ShouldContain("Which merchant are you working for?");
        (await browser.GetAsync("console/requests")).Location.ShouldBe("/console");

        var picked = await browser.PostAsync("console", ConsoleClient.Token(picker.Html), new() { ["merchantId"] = second.Merchant.Id });
        picked.Location.ShouldBe("/console");
        var home = await browser.GetAsync("console");
        home.Text.ShouldContain("(viewer)");
        (await browser.GetAsync("console/requests/new")).Status.ShouldBe(HttpStatusCode.Forbidden);

        var refused = await browser.PostAsync("console", ConsoleClient.Token(home.Html), new() { ["merchantId"] = "m-not-mine" });
        refused.Location.ShouldBe("/console?pick=1");
    }

    [Fact]
    public async Task A_removed_user_is_shut_out_at_their_next_page()
    {
        var merchant = await suite.NewMerchantAsync();
        await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Admin);
        var email = await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Agent);
        using var browser = await ConsoleClient.SignedInAsync(suite, email);
        (await browser.GetAsync("console/requests")).Status.ShouldBe(HttpStatusCode.OK);

        await suite.Runtime.Services.GetRequiredService<StaffAdministration>().RemoveAsync(merchant.Merchant.Id, email, CancellationToken.None);

        var page = await browser.GetAsync("console/requests");
        page.Status.ShouldBe(HttpStatusCode.Forbidden);
        page.Text.ShouldContain("You have no access to any merchant");
    }
}
