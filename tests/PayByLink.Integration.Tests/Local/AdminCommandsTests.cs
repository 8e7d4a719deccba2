using System.Net;
using Microsoft.Extensions.Configuration;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Local;

[Collection(SuiteCollection.Name)]
public class AdminCommandsTests(SuiteFixture suite)
{
    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PayByLinkStorage"] = suite.Azurite.ConnectionString })
            .Build();
        var exitCode = await AdminCommands.RunAsync(args, output, configuration);
        return (exitCode, output.ToString());
    }

    [Fact]
    public async Task An_operator_adds_a_merchant_issues_lists_rotates_and_revokes_keys()
    {
        var id = "cli-" + Guid.NewGuid().ToString("N")[..8];

        (await RunAsync("merchant", "add", id, "--name", "Council Tax", "--max-amount", "2500")).ExitCode.ShouldBe(0);
        var (issued, issueOutput) = await RunAsync("key", "issue", id);
        issued.ShouldBe(0);
        var key = issueOutput.Trim().Split('\n')[^1].Trim();
        var keyId = (await RunAsync("key", "list", id)).Output.Split('\t')[0];
        (await suite.ClientWithKey(key).PostAsync("api/v1/payment-requests",
                System.Net.Http.Json.JsonContent.Create(Requests.ValidCreate(amount: 2500m))))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        var (_, secondOutput) = await RunAsync("key", "issue", id);
        (await RunAsync("key", "issue", id)).ExitCode.ShouldBe(1); // two active keys at most
        (await RunAsync("key", "revoke", id, keyId)).ExitCode.ShouldBe(0);

        (await suite.ClientWithKey(key).GetAsync("api/v1/payment-requests?status=Pending")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var second = secondOutput.Trim().Split('\n')[^1].Trim();
        (await suite.ClientWithKey(second).GetAsync("api/v1/payment-requests?status=Pending")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var listed = (await RunAsync("key", "list", id)).Output;
        listed.ShouldContain($"{keyId}\t");
        listed.ShouldContain("revoked");
        listed.ShouldNotContain(key);
    }

    [Theory]
    [InlineData("merchant", "add", "Bad_Id", "--name", "X")]
    [InlineData("merchant", "add", "no-name-given")]
    [InlineData("merchant", "add", "bad-currency", "--name", "X", "--currency", "XYZ")]
    [InlineData("key", "issue", "no-such-merchant")]
    [InlineData("key", "revoke", "no-such-merchant", "0123456789abcdef")]
    public async Task Mistakes_exit_non_zero_with_a_message(params string[] args) =>
        (await RunAsync(args)).ExitCode.ShouldBe(1);

    [Fact]
    public async Task A_merchant_id_cannot_be_added_twice()
    {
        var id = "dup-" + Guid.NewGuid().ToString("N")[..8];
        (await RunAsync("merchant", "add", id, "--name", "One")).ExitCode.ShouldBe(0);

        (await RunAsync("merchant", "add", id, "--name", "Two")).ExitCode.ShouldBe(1);
    }
}
