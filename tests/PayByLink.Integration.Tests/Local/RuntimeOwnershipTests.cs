using System.Net;
using System.Net.Http.Json;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Local;

/// <summary>
/// One local runtime per data folder: a second one stops and names the first, the admin commands work beside it,
/// a folder whose runtime was killed is taken over with its data and key, and the program starts the runtime only
/// when asked to.
/// </summary>
public sealed class RuntimeOwnershipTests : IDisposable
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "paybylink-owner-" + Guid.NewGuid().ToString("N"));

    private string DataFolderOption => $"--{LocalStorage.DataFolderSetting}={_dataFolder}";

    [Fact]
    public async Task A_second_runtime_on_a_data_folder_in_use_stops_naming_the_first_and_one_that_was_killed_is_taken_over_with_its_data_and_key()
    {
        await using var first = await RuntimeProcess.StartAsync(DataFolderOption);
        first.Output.ShouldContain($"new, saved to {Path.Combine(_dataFolder, "dev-subscription-key")}");
        using var client = first.Client();
        var created = await (await client.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate())).JsonAsync();

        var (exitCode, output, error) = await RuntimeProcess.RunToExitAsync(["--urls", $"http://127.0.0.1:{Azurite.FreePort()}", DataFolderOption]);

        exitCode.ShouldBe(1, output + error);
        error.ShouldContain($"in use by a PayByLink runtime that is still running (process {first.ProcessId}, serving {first.BaseUrl}");
        error.ShouldContain($"--{LocalStorage.DataFolderSetting}=");
        error.Trim().Split('\n').Length.ShouldBe(1, error);
        output.ShouldNotContain("PayByLink is running locally");
        (await client.GetAsync("api/v1/payment-requests?status=Pending")).StatusCode.ShouldBe(HttpStatusCode.OK, "the first runtime's key still works");

        // The admin commands are not a second runtime: they use the running one's storage.
        var listed = await RuntimeProcess.RunToExitAsync(["key", "list", "dev-merchant"],
            new Dictionary<string, string> { ["Local__DataFolder"] = _dataFolder });
        listed.ExitCode.ShouldBe(0, listed.Error);
        listed.Output.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain("active");

        await first.KillAsync();
        await using var next = await RuntimeProcess.StartAsync(DataFolderOption);

        next.Key.ShouldBe(first.Key);
        next.Output.ShouldContain("(the stored key, from ");
        using var nextClient = next.Client();
        (await nextClient.GetAsync($"api/v1/payment-requests/{created.Str("requestId")}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("user", "add", "someone@example.com", "--merchant", "dev-merchant")]
    [InlineData("--Local:DataFolder=/tmp/never-used", "--merchant", "dev-merchant")]
    [InlineData("run", "extra")]
    public async Task An_unknown_command_or_option_is_an_error_with_the_usage_and_never_a_start(params string[] arguments)
    {
        var (exitCode, output, error) = await RuntimeProcess.RunToExitAsync(arguments);

        exitCode.ShouldBe(2, output + error);
        error.ShouldContain("Usage:");
        output.ShouldNotContain("PayByLink is running locally");
    }

    [Fact]
    public async Task A_start_that_cannot_reach_storage_says_so_in_one_line_and_exits_1()
    {
        var port = Azurite.FreePort();
        var storage = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Convert.ToBase64String(new byte[64])};" +
                      $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;" +
                      $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";

        var (exitCode, output, error) = await RuntimeProcess.RunToExitAsync(
            ["--urls", $"http://127.0.0.1:{Azurite.FreePort()}", $"--PayByLinkStorage={storage}", DataFolderOption]);

        exitCode.ShouldBe(1, output + error);
        var line = error.Trim().ShouldHaveSingleItemLine();
        line.ShouldContain($"127.0.0.1:{port}");
        line.ShouldContain("PayByLinkStorage");
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }
}

internal static class OneLine
{
    public static string ShouldHaveSingleItemLine(this string text) => text.Split('\n').ShouldHaveSingleItem();
}
