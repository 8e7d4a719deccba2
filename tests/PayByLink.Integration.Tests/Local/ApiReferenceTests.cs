using System.Text.Json;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Local;

[Collection(SuiteCollection.Name)]
public class ApiReferenceTests(SuiteFixture suite)
{
    [Fact]
    public async Task The_openapi_document_describes_every_api_route()
    {
        var document = JsonDocument.Parse(await suite.ClientWithKey(null).GetStringAsync("openapi/v1.json")).RootElement;

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"));
        operations.ShouldBe(Api.FunctionsMetadataTests.SpecifiedRoutes, ignoreOrder: true);
    }

    [Fact]
    public async Task The_api_reference_is_served_from_this_machine()
    {
        var client = suite.ClientWithKey(null);

        (await client.GetStringAsync("scalar/")).ShouldContain("<script src=\"scalar.js\">");
        (await client.GetAsync("scalar/scalar.js")).EnsureSuccessStatusCode();
    }
}
