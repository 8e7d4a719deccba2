using System.Text.Json;
using Microsoft.Playwright;
using PayByLink.Http;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Local;

[Collection(SuiteCollection.Name)]
public class ApiReferenceTests(SuiteFixture suite)
{
    private async Task<JsonElement> DocumentAsync() =>
        JsonDocument.Parse(await suite.ClientWithKey(null).GetStringAsync("openapi/v1.json")).RootElement;

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => ($"{o.Name.ToUpperInvariant()} {p.Name}", o.Value)));

    [Fact]
    public async Task The_openapi_document_describes_every_api_route_and_no_internal_one()
    {
        var document = await DocumentAsync();

        document.Str("openapi").ShouldStartWith("3.1");
        Operations(document).Select(o => o.Name)
            .ShouldBe(Api.FunctionsMetadataTests.SpecifiedRoutes.Where(r => !r.Contains("/callback/") && !r.Contains("/api/acs/")), ignoreOrder: true);
    }

    [Fact]
    public async Task The_readme_api_table_is_one_table_with_a_row_for_each_operation_of_the_openapi_document()
    {
        var readme = await File.ReadAllLinesAsync(Path.Combine(PayByLink.Local.RepositoryRoot.Find(), "README.md"));
        var header = Array.FindIndex(readme, l => l == "| call | what it does |");
        header.ShouldBeGreaterThan(0);
        readme[header + 1].ShouldBe("|---|---|");
        // A table ends at its first line that is not a row: everything up to it renders as the one table.
        var rows = readme.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).ToList();
        readme[header + 2 + rows.Count].ShouldBeEmpty();
        readme.Skip(header + 2 + rows.Count).TakeWhile(l => !l.StartsWith("Rules and choices")).ShouldAllBe(l => !l.StartsWith('|'));

        var calls = rows.Select(r => System.Text.RegularExpressions.Regex.Match(r, @"^\| `([A-Z]+) ([^`?]+)[^`]*` \|").Groups)
            .Where(g => g[0].Success && g[2].Value.StartsWith("/api/")).Select(g => $"{g[1].Value} {g[2].Value}").ToList();

        calls.Count.ShouldBe(rows.Count - 1, "every row but the upload URL's names one API operation");
        calls.ShouldBe(Operations(await DocumentAsync()).Select(o => o.Name), ignoreOrder: true);
    }

    [Fact]
    public async Task Every_v1_operation_has_a_summary_a_description_the_key_scheme_and_problem_errors()
    {
        var document = await DocumentAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty(ApiDocument.SecuritySchemeName);
        scheme.Str("type").ShouldBe("apiKey");
        scheme.Str("in").ShouldBe("header");
        scheme.Str("name").ShouldBe(MerchantAuthentication.KeyHeader);
        foreach (var (name, operation) in Operations(document))
        {
            operation.Str("summary").ShouldNotBeNullOrWhiteSpace(name);
            operation.Str("description").ShouldNotBeNullOrWhiteSpace(name);
            if (!name.Contains("/api/v1/"))
            {
                continue;
            }

            operation.GetProperty("security")[0].TryGetProperty(ApiDocument.SecuritySchemeName, out _).ShouldBeTrue(name);
            var errors = operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5').ToList();
            errors.Select(e => e.Name).ShouldContain("401", name);
            errors.Select(e => e.Name).ShouldContain("503", name);
            errors.ShouldAllBe(e => e.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").Str("$ref") ==
                                    "#/components/schemas/Problem");
        }
    }

    [Fact]
    public async Task List_filters_and_paging_are_described_with_examples()
    {
        var list = Operations(await DocumentAsync()).Single(o => o.Name == "GET /api/v1/payment-requests").Operation;

        var parameters = list.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.Str("name"));
        parameters.Keys.ShouldBe(["customerName", "amount", "accountReference", "clientTransactionRef", "mobileNumber", "status", "createdFrom",
            "createdTo", "pageSize", "continuationToken"], ignoreOrder: true);
        foreach (var parameter in parameters.Values)
        {
            parameter.Str("in").ShouldBe("query");
            parameter.Str("description").ShouldNotBeNullOrWhiteSpace();
            parameter.TryGetProperty("example", out _).ShouldBeTrue(parameter.Str("name"));
        }
    }

    [Fact]
    public async Task Fields_are_required_and_nullable_exactly_and_amount_is_a_decimal()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");

        var input = schemas.GetProperty("PaymentRequestInput");
        input.GetProperty("required").EnumerateArray().Select(r => r.GetString())
            .ShouldBe(["clientTransactionRef", "amount", "accountReference", "customer"], ignoreOrder: true);
        input.GetProperty("properties").GetProperty("amount").GetProperty("type").GetString().ShouldBe("number");
        input.GetProperty("properties").GetProperty("amount").Str("format").ShouldBe("decimal");
        input.GetProperty("properties").GetProperty("customer").Str("$ref").ShouldBe("#/components/schemas/CustomerInput");
        var view = schemas.GetProperty("PaymentRequestView").GetProperty("properties");
        view.GetProperty("requestId").GetProperty("type").GetString().ShouldBe("string");
        view.GetProperty("amount").GetProperty("type").GetString().ShouldBe("number");
        view.GetProperty("reason").GetProperty("type").EnumerateArray().Select(t => t.GetString()).ShouldBe(["null", "string"], ignoreOrder: true);
        schemas.GetProperty("BatchView").GetProperty("properties").GetProperty("totalRecords").GetProperty("type").GetString().ShouldBe("integer");
    }

    [Fact]
    public async Task The_api_reference_is_served_from_this_machine()
    {
        var client = suite.ClientWithKey(null);

        (await client.GetStringAsync("scalar/")).ShouldContain("<script src=\"scalar.js\">");
        (await client.GetAsync("scalar/scalar.js")).EnsureSuccessStatusCode();
    }

    [SkippableFact]
    public async Task The_api_reference_page_asks_nothing_of_any_other_host()
    {
        Chromium.Require();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var elsewhere = new List<string>();
        var host = new Uri(suite.BaseUrl).Authority;
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith("data:") && !request.Url.StartsWith("blob:") && new Uri(request.Url).Authority != host)
            {
                lock (elsewhere) { elsewhere.Add(request.Url); }
            }
        };

        await page.GotoAsync(suite.BaseUrl + "/scalar/");
        await page.GetByText("Ocp-Apim-Subscription-Key").First.WaitForAsync(new() { Timeout = 30_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        (await page.InnerTextAsync("body")).ShouldContain("PayByLink API");
        elsewhere.ShouldBeEmpty();

        // The key field shows no placeholder text: none that a merchant could take for a key.
        var keyField = page.Locator("input.scalar-password-input").First;
        await keyField.WaitForAsync(new() { Timeout = 30_000, State = WaitForSelectorState.Attached });
        (await keyField.EvaluateAsync<string>("e => getComputedStyle(e, '::placeholder').color")).ShouldBe("rgba(0, 0, 0, 0)",
            await keyField.GetAttributeAsync("placeholder"));
    }

    [Fact]
    public async Task The_servers_base_joins_the_paths_cleanly_and_failed_records_declares_json_and_csv()
    {
        var document = await DocumentAsync();

        var server = document.GetProperty("servers").EnumerateArray().ShouldHaveSingleItem().Str("url");
        server.ShouldBe(suite.BaseUrl);
        (server + "/api/v1/payment-requests").ShouldNotContain("//api");
        var ok = Operations(document).Single(o => o.Name == "GET /api/v1/batches/{batchId}/failed-records").Operation
            .GetProperty("responses").GetProperty("200").GetProperty("content");
        ok.EnumerateObject().Select(c => c.Name).ShouldBe(["application/json", "text/csv"], ignoreOrder: true);
        ok.GetProperty("application/json").GetProperty("schema").Str("$ref").ShouldBe("#/components/schemas/FailedRecordsView");
        ok.GetProperty("text/csv").GetProperty("schema").Str("type").ShouldBe("string");
    }
}
