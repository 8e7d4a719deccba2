using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Http;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Http;

/// <summary>Every error the API answers, whoever writes it (a handler or the framework), has the same members.</summary>
[Collection(SuiteCollection.Name)]
public class ErrorFormatTests(SuiteFixture suite)
{
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.JsonAsync();
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.Str("code").ShouldBe(code);
        problem.Str("type").ShouldBe(Problems.TypePrefix + code);
        problem.Str("title").ShouldNotBeNullOrWhiteSpace();
        problem.Str("detail").ShouldNotBeNullOrWhiteSpace();
        problem.Str("traceId").ShouldNotBeNullOrWhiteSpace();
        return problem;
    }

    [Fact]
    public async Task A_validation_error_has_every_member() =>
        await ProblemAsync(await (await suite.NewMerchantAsync()).CreateAsync(Requests.ValidCreate().Without("amount")),
            HttpStatusCode.BadRequest, "validation-failed");

    [Fact]
    public async Task A_missing_key_has_every_member() =>
        await ProblemAsync(await suite.ClientWithKey(null).GetAsync("api/v1/payment-requests/pr_nothing"), HttpStatusCode.Unauthorized, "unauthorized");

    [Fact]
    public async Task An_unknown_request_has_every_member() =>
        await ProblemAsync(await (await suite.NewMerchantAsync()).Http.GetAsync("api/v1/payment-requests/pr_nothing"), HttpStatusCode.NotFound, "not-found");

    [Fact]
    public async Task An_unknown_route_has_every_member() =>
        await ProblemAsync(await (await suite.NewMerchantAsync()).Http.GetAsync("api/v1/no-such-thing"), HttpStatusCode.NotFound, "not-found");

    [Theory]
    [InlineData("api/v1/payment-requests/%ZZ")]
    [InlineData("api/v1/payment-requests/a%2Fb")]
    [InlineData("api/v1/payment-requests/%E2%80%AE%E2%81%A6")]
    [InlineData("api/v1/payment-requests/%FF%FE")]
    [InlineData("api/v1/batches/..%2F..%2Fpayment-requests")]
    public async Task A_bad_path_has_every_member(string path)
    {
        var merchant = await suite.NewMerchantAsync();

        await ProblemAsync(await merchant.Http.GetAsync(new Uri(path, UriKind.Relative)), HttpStatusCode.NotFound, "not-found");
        await ProblemAsync(await merchant.Http.GetAsync("api/v1/payment-requests/" + new string('a', 4000)), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_method_the_route_does_not_take_has_every_member() =>
        await ProblemAsync(await (await suite.NewMerchantAsync()).Http.DeleteAsync("api/v1/payment-requests/pr_nothing"),
            HttpStatusCode.MethodNotAllowed, "method-not-allowed");

    [Fact]
    public async Task A_conflict_has_every_member()
    {
        var merchant = await suite.NewMerchantAsync();
        var body = Requests.ValidCreate();
        await merchant.CreateAsync(body);

        await ProblemAsync(await merchant.CreateAsync(body.With("amount", 99m)), HttpStatusCode.Conflict, "duplicate-client-transaction-ref");
    }

    [Fact]
    public async Task A_body_too_large_has_every_member() =>
        await ProblemAsync(await (await suite.NewMerchantAsync()).CreateAsync(Requests.ValidCreate().With("reason", new string('x', 100_000))),
            HttpStatusCode.RequestEntityTooLarge, "payload-too-large");

    [Fact]
    public async Task A_body_that_is_not_json_has_every_member() =>
        await ProblemAsync(await (await suite.NewMerchantAsync()).Http.PostAsync("api/v1/payment-requests",
            new StringContent("amount=10", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");

    [Fact]
    public async Task A_misspelt_field_is_named_and_so_is_every_other_unknown_one()
    {
        var body = Requests.ValidCreate().Without("amount").With("amout", 120.5m).With("customer.phone", "07700 900123");

        var problem = await ProblemAsync(await (await suite.NewMerchantAsync()).CreateAsync(body), HttpStatusCode.BadRequest, "validation-failed");

        problem.GetProperty("errors").GetProperty("amout")[0].GetString().ShouldBe("amout: unknown field.");
        problem.GetProperty("errors").GetProperty("customer.phone")[0].GetString().ShouldBe("customer.phone: unknown field.");
    }

    [Fact]
    public async Task An_amount_no_decimal_can_hold_is_told_the_limit()
    {
        var problem = await ProblemAsync(await (await suite.NewMerchantAsync(maxAmount: 2500m)).CreateAsync(Requests.ValidCreate().With("amount",
            System.Text.Json.Nodes.JsonNode.Parse("1e30"))), HttpStatusCode.BadRequest, "validation-failed");

        problem.GetProperty("errors").GetProperty("amount")[0].GetString().ShouldBe("amount must be no more than 2500.");
    }

    [Theory]
    [InlineData(StatusCodes.Status429TooManyRequests, "too-many-requests")]
    [InlineData(StatusCodes.Status406NotAcceptable, "not-acceptable")]
    public async Task A_problem_the_framework_writes_by_status_gets_the_same_members(int status, string code)
    {
        var http = new DefaultHttpContext { RequestServices = suite.Runtime.Services, Response = { Body = new MemoryStream() } };
        http.Response.StatusCode = status;

        await suite.Runtime.Services.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http });

        http.Response.Body.Position = 0;
        var problem = JsonDocument.Parse(http.Response.Body).RootElement;
        problem.Str("code").ShouldBe(code);
        problem.Str("type").ShouldBe(Problems.TypePrefix + code);
        problem.Str("detail").ShouldNotBeNullOrWhiteSpace();
        problem.Str("traceId").ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task A_fault_of_ours_answers_500_with_every_member_and_nothing_of_the_request()
    {
        var http = new DefaultHttpContext { RequestServices = suite.Runtime.Services, Response = { Body = new MemoryStream() } };
        http.Request.Path = "/api/v1/payment-requests";

        await suite.Runtime.Services.GetRequiredService<HttpFailures>()
            .TryHandleAsync(http, new InvalidOperationException("secret customer detail +447700900123"), CancellationToken.None);

        http.Response.StatusCode.ShouldBe(500);
        http.Response.Body.Position = 0;
        var body = await new StreamReader(http.Response.Body).ReadToEndAsync();
        body.ShouldNotContain("447700900123");
        var problem = JsonDocument.Parse(body).RootElement;
        problem.Str("code").ShouldBe("internal-error");
        problem.Str("traceId").ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Money_has_the_currencys_minor_digits_and_times_end_in_Z_everywhere()
    {
        var merchant = await suite.NewMerchantAsync();
        var created = await (await merchant.CreateAsync(Requests.ValidCreate(amount: 120.5m))).Content.ReadAsStringAsync();
        var batch = await (await merchant.Http.PostAsJsonAsync("api/v1/batches", new { fileName = "a.csv" })).Content.ReadAsStringAsync();
        var requestId = JsonDocument.Parse(created).RootElement.Str("requestId");
        var got = await merchant.Http.GetStringAsync($"api/v1/payment-requests/{requestId}");
        var listed = await merchant.Http.GetStringAsync("api/v1/payment-requests?customerName=smith");
        var batches = await merchant.Http.GetStringAsync("api/v1/batches");

        foreach (var json in new[] { created, got, listed })
        {
            json.ShouldContain("\"amount\":120.50");
        }

        foreach (var json in new[] { created, got, listed, batch, batches })
        {
            System.Text.RegularExpressions.Regex.Matches(json, "\"\\d{4}-\\d\\d-\\d\\dT[^\"]*\"").ShouldAllBe(m => m.Value.EndsWith("Z\""));
            json.ShouldNotContain("+00:00");
        }
    }
}
