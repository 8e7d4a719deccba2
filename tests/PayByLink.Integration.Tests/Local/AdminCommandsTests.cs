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
        var (exitCode, output, _) = await RunWithErrorsAsync(args);
        return (exitCode, output);
    }

    private async Task<(int ExitCode, string Output, string Error)> RunWithErrorsAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PayByLinkStorage"] = suite.Azurite.ConnectionString })
            .Build();
        var exitCode = await AdminCommands.RunAsync(args, output, configuration, error);
        return (exitCode, output.ToString(), error.ToString());
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
    [InlineData("merchant", "add", "bad-currency", "--name", "X", "--currency", "XYZ")]
    [InlineData("key", "issue", "no-such-merchant")]
    [InlineData("key", "revoke", "no-such-merchant", "0123456789abcdef")]
    public async Task Refusals_exit_1_with_a_one_line_reason(params string[] args)
    {
        var (exitCode, _, error) = await RunWithErrorsAsync(args);

        exitCode.ShouldBe(1);
        error.Trim().Split('\n').Length.ShouldBe(1, error);
        error.ShouldStartWith("error: ");
    }

    [Theory]
    [InlineData("merchant", "add", "no-name-given")]
    [InlineData("merchant", "add", "acme", "--name", "Acme", "--max-amount", "abc")]
    [InlineData("merchant", "add", "acme", "--name", "Acme", "--max-amount")]
    [InlineData("merchant", "remove", "acme")]
    [InlineData("key", "revoke", "acme")]
    [InlineData("key", "issue", "acme", "--colour", "red")]
    [InlineData("merchant")]
    public async Task Bad_arguments_exit_2_with_a_one_line_error_and_the_usage(params string[] args)
    {
        var (exitCode, output, error) = await RunWithErrorsAsync(args);

        exitCode.ShouldBe(2);
        output.ShouldBeEmpty();
        var lines = error.Split('\n');
        lines[0].ShouldStartWith("error: ");
        lines[0].ShouldNotContain("Exception");
        error.ShouldContain(AdminCommands.Usage);
    }

    [Fact]
    public async Task An_operator_sets_a_merchants_limits_and_show_lists_them()
    {
        var id = "cli-" + Guid.NewGuid().ToString("N")[..8];
        (await RunAsync("merchant", "add", id, "--name", "Council Tax")).ExitCode.ShouldBe(0);
        (await RunAsync("merchant", "show", id)).Output.ShouldContain("50 requests/s per key (burst 100), 20,000 SMS and 20,000 emails a day");

        var (exitCode, output) = await RunAsync("merchant", "limits", id, "--rate", "5", "--daily-sms", "1000");

        exitCode.ShouldBe(0);
        output.Trim().ShouldBe($"Limits of {id}: 5 requests/s per key (burst 100), 1,000 SMS and 20,000 emails a day.");
        (await RunAsync("merchant", "show", id)).Output.ShouldContain("5 requests/s per key (burst 100), 1,000 SMS and 20,000 emails a day");
        (await RunAsync("merchant", "limits", id, "--rate", "0")).ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task An_operator_sets_a_merchants_retention_and_erases_a_persons_data()
    {
        var id = "ret-" + Guid.NewGuid().ToString("N")[..8];
        (await RunAsync("merchant", "add", id, "--name", "Water Co")).ExitCode.ShouldBe(0);
        (await RunAsync("merchant", "show", id)).Output.ShouldContain("requests kept 90 days after they end, batch lines 30 days");

        var (exitCode, output) = await RunAsync("merchant", "retention", id, "--request-days", "30");

        exitCode.ShouldBe(0);
        output.Trim().ShouldBe($"Retention of {id}: requests kept 30 days after they end, batch lines 30 days.");
        (await RunAsync("merchant", "show", id)).Output.ShouldContain("requests kept 30 days after they end");
        (await RunAsync("merchant", "retention", id, "--batch-days", "0")).ExitCode.ShouldBe(1);

        (await RunAsync("erase", id, "--mobile", "07700 900123")).Output.Trim().ShouldBe("Erased: 0 requests, 0 opt-outs kept as a hash, 0 batch lines.");
        (await RunAsync("erase", id)).ExitCode.ShouldBe(1, "a mobile or an email is needed");
        (await RunAsync("erase", "no-such-merchant", "--email", "a@example.com")).ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task An_operator_adds_a_merchants_first_admin_and_its_users_and_a_person_in_two_merchants_belongs_to_both()
    {
        var (id, other) = ("usr-" + Guid.NewGuid().ToString("N")[..8], "usr-" + Guid.NewGuid().ToString("N")[..8]);
        (await RunAsync("merchant", "add", id, "--name", "Council")).ExitCode.ShouldBe(0);
        (await RunAsync("merchant", "add", other, "--name", "Utility")).ExitCode.ShouldBe(0);
        var admin = $"a{Guid.NewGuid():N}@example.com";

        (await RunAsync("user", "add", admin.ToUpperInvariant(), "--merchant", id, "--role", "admin")).Output.Trim().ShouldBe($"{admin} is admin of {id}.");
        (await RunAsync("user", "add", "agent@example.com", "--merchant", id, "--role", "agent")).ExitCode.ShouldBe(0);
        (await RunAsync("user", "add", admin, "--merchant", other, "--role", "viewer")).ExitCode.ShouldBe(0);

        var listed = (await RunAsync("user", "list", id)).Output.Trim().Split('\n').Select(l => string.Join(' ', l.Split('\t')[..2])).ToList();
        listed.ShouldBe([$"{admin} admin", "agent@example.com agent"], ignoreOrder: true);
        var memberships = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<PayByLink.Core.Staff.Ports.IStaffStore>(suite.Runtime.Services).MembershipsAsync(admin, CancellationToken.None);
        memberships.Select(m => (m.MerchantId, m.Role.ToString())).ShouldBe([(id, "Admin"), (other, "Viewer")], ignoreOrder: true);

        (await RunAsync("user", "remove", admin, "--merchant", id)).ExitCode.ShouldBe(1, "the last admin stays");
        (await RunAsync("user", "remove", "agent@example.com", "--merchant", id)).Output.Trim().ShouldBe($"Removed agent@example.com from {id}.");
        (await RunAsync("user", "add", "x@example.com", "--merchant", id, "--role", "owner")).ExitCode.ShouldBe(1);
        (await RunWithErrorsAsync("user", "add", "x@example.com", "--merchant", id)).ExitCode.ShouldBe(2, "--role is required");
    }

    [Fact]
    public async Task A_merchant_id_cannot_be_added_twice()
    {
        var id = "dup-" + Guid.NewGuid().ToString("N")[..8];
        (await RunAsync("merchant", "add", id, "--name", "One")).ExitCode.ShouldBe(0);

        (await RunAsync("merchant", "add", id, "--name", "Two")).ExitCode.ShouldBe(1);
    }
}
