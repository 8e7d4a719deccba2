using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Merchants;
using PayByLink.Http;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Http;

[Collection(SuiteCollection.Name)]
public class AuthenticationAndIsolationTests(SuiteFixture suite)
{
    public static TheoryData<string, string> Calls() => new()
    {
        { "POST", "api/v1/payment-requests" },
        { "GET", "api/v1/payment-requests/pr_x" },
        { "GET", "api/v1/payment-requests?customerName=smith" },
        { "PUT", "api/v1/payment-requests/pr_x" },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Calls_without_a_key_answer_401(string method, string path)
    {
        var response = await suite.ClientWithKey(null).SendAsync(Request(method, path));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Calls_with_an_unknown_key_answer_401(string method, string path)
    {
        var response = await suite.ClientWithKey("pbl_" + new string('A', 43)).SendAsync(Request(method, path));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Every_route_under_api_v1_answers_401_without_a_key_before_its_handler_runs()
    {
        var routes = suite.Runtime.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => MerchantAuthentication.IsRequiredFor("/" + e.RoutePattern.RawText!.TrimStart('/')))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods
                .Select(method => (Method: method, Path: Regex.Replace(e.RoutePattern.RawText!.TrimStart('/'), @"\{[^}]+\}", "x"))))
            .ToList();

        routes.Count.ShouldBeGreaterThanOrEqualTo(22);
        foreach (var (method, path) in routes)
        {
            var response = await suite.ClientWithKey(null).SendAsync(Request(method, path));
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{method} {path}");
            (await response.JsonAsync()).Str("code").ShouldBe("unauthorized");
        }
    }

    [Fact]
    public async Task A_revoked_key_answers_401_at_once_while_the_other_key_keeps_working()
    {
        var merchant = await suite.NewMerchantAsync();
        var admin = suite.Runtime.Services.GetRequiredService<MerchantAdministration>();
        var (second, _) = await admin.IssueKeyAsync(merchant.Merchant.Id, CancellationToken.None);

        await admin.RevokeKeyAsync(merchant.Merchant.Id, merchant.KeyId, CancellationToken.None);

        (await merchant.CreateAsync(Requests.ValidCreate())).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await suite.ClientWithKey(second).PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate()))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Another_merchants_request_is_not_found_exactly_like_a_missing_one()
    {
        var owner = await suite.NewMerchantAsync();
        var other = await suite.NewMerchantAsync();
        var created = await (await owner.CreateAsync(Requests.ValidCreate("PRIVATE-1"))).JsonAsync();
        var id = created.Str("requestId");

        var get = await other.Http.GetAsync($"api/v1/payment-requests/{id}");
        var missing = await other.Http.GetAsync("api/v1/payment-requests/pr_00000000000000000000000000");
        var put = await other.Http.PutAsJsonAsync($"api/v1/payment-requests/{id}", new { status = "Cancelled" });
        var list = await (await other.Http.GetAsync("api/v1/payment-requests?clientTransactionRef=PRIVATE-1")).JsonAsync();

        get.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        put.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await get.BodyWithoutTraceIdAsync()).ShouldBe(await missing.BodyWithoutTraceIdAsync());
        list.GetProperty("items").GetArrayLength().ShouldBe(0);
        (await owner.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/v1/payment-requests/{id}")).Str("status").ShouldNotBe("Cancelled");
    }

    [Fact]
    public async Task A_merchants_own_reference_does_not_collide_with_another_merchants()
    {
        var owner = await suite.NewMerchantAsync();
        var other = await suite.NewMerchantAsync();
        await owner.CreateAsync(Requests.ValidCreate("SAME-REF"));

        var response = await other.CreateAsync(Requests.ValidCreate("SAME-REF").With("amount", 1m));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "POST" or "PUT" ? JsonContent.Create(Requests.ValidCreate()) : null,
    };
}
