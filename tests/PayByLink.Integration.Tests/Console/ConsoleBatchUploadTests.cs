using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PayByLink.Core.Staff;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Console;

/// <summary>
/// An operator uploads a batch file in the console over real HTTP: without script (a form post), checked before
/// anything is sent, then sent or discarded; with script, the URL the browser PUTs to, which storage lets only the
/// console's origin use.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class ConsoleBatchUploadTests(SuiteFixture suite)
{
    [Fact]
    public async Task A_file_posted_without_script_is_checked_shown_and_sent_only_once_confirmed()
    {
        var merchant = await suite.NewMerchantAsync();
        (await merchant.Http.PostAsJsonAsync("api/v1/opt-outs", new { mobileNumber = "07700 900888" })).EnsureSuccessStatusCode();
        using var operatorBrowser = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Operator));
        var good = BatchFiles.NewRef();
        var file = BatchFiles.Csv(BatchFiles.Header, BatchFiles.Line(good), BatchFiles.Line(BatchFiles.NewRef(), lastName: "Jones"),
            BatchFiles.Line(BatchFiles.NewRef(), amount: "12.345"), BatchFiles.Line(BatchFiles.NewRef(), mobile: "07700 900888"));

        var uploaded = await operatorBrowser.UploadAsync("console/batches/new", "console/batches/new", "april.csv", file);

        uploaded.Status.ShouldBe(HttpStatusCode.Redirect);
        var page = await operatorBrowser.WaitForTextAsync(uploaded.Location!, "Check before sending");
        page.Text.ShouldContain("AwaitingConfirmation checked: nothing is sent until you confirm");
        page.Text.ShouldContain("Lines in the file 4 Will be sent 2 Texts 2 Emails 0 Will fail 2");
        page.Text.ShouldContain("1 line asks for a text to a number on the opt-out list");
        page.Text.ShouldContain("Line numbers");
        page.Text.ShouldContain("amount 1 4");
        (await merchant.Http.ReadJsonAsync($"api/v1/payment-requests?clientTransactionRef={good}")).GetProperty("items").GetArrayLength().ShouldBe(0);
        var batchPath = uploaded.Location!.TrimStart('/');
        var failing = await operatorBrowser.GetAsync(batchPath + "/failed-records.csv");
        failing.Html.TrimEnd().Split("\r\n").Length.ShouldBe(2);

        var sent = await operatorBrowser.PostAsync(batchPath + "/confirm", ConsoleClient.Token(page.Html), []);
        sent.Status.ShouldBe(HttpStatusCode.Redirect);
        var done = await operatorBrowser.WaitForTextAsync(batchPath, "finished");
        done.Text.ShouldContain("Lines 4 Accepted 0 Sent 2 Failed 2 Pending 0");
        done.Text.ShouldNotContain("Stop sending");
        (await merchant.Http.ReadJsonAsync($"api/v1/payment-requests?clientTransactionRef={good}")).GetProperty("items").GetArrayLength().ShouldBe(1);
        var again = await operatorBrowser.PostAsync(batchPath + "/confirm", ConsoleClient.Token(done.Html), []);
        again.Status.ShouldBe(HttpStatusCode.Redirect, "a second confirm changes nothing");
        (await operatorBrowser.GetAsync(batchPath + "/stop")).Text.ShouldContain("nothing left to stop");
    }

    [Fact]
    public async Task A_file_over_the_servers_own_body_limit_is_taken_and_one_discarded_sends_nothing()
    {
        var merchant = await suite.NewMerchantAsync();
        using var operatorBrowser = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Operator));
        var reason = new string('x', 200);
        var lines = Enumerable.Range(0, 5000).Select(i => $"{BatchFiles.NewRef()},1.001,ACC-1,{reason},Jane,Smith,07700 900123,");
        var file = BatchFiles.Csv([BatchFiles.Header, .. lines]);
        file.Length.ShouldBeGreaterThan(1024 * 1024, "over the local runtime's 1 MB limit for every other request");

        var uploaded = await operatorBrowser.UploadAsync("console/batches/new", "console/batches/new", "big.csv", file);

        uploaded.Status.ShouldBe(HttpStatusCode.Redirect);
        var page = await operatorBrowser.WaitForTextAsync(uploaded.Location!, "Check before sending");
        page.Text.ShouldContain("Lines in the file 5000 Will be sent 0");
        page.Text.ShouldContain("and 4950 more");
        var discarded = await operatorBrowser.PostAsync(uploaded.Location!.TrimStart('/') + "/stop", ConsoleClient.Token(page.Html), []);
        discarded.Status.ShouldBe(HttpStatusCode.Redirect);
        (await operatorBrowser.GetAsync(uploaded.Location!.TrimStart('/'))).Text.ShouldContain("Cancelled discarded: nothing was sent");
    }

    [Fact]
    public async Task A_missing_or_wrong_file_is_refused_with_its_reason_and_only_operators_upload()
    {
        var merchant = await suite.NewMerchantAsync();
        using var operatorBrowser = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Operator));
        using var agent = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Agent));

        var none = await operatorBrowser.UploadAsync("console/batches/new", "console/batches/new", "empty.csv", []);
        none.Status.ShouldBe(HttpStatusCode.BadRequest);
        none.Text.ShouldContain("Choose a CSV file to upload.");
        none.Html.ShouldContain("aria-invalid=\"true\"");
        var notCsv = await operatorBrowser.UploadAsync("console/batches/new", "console/batches/new", "list.xlsx", Encoding.UTF8.GetBytes("a,b\r\n"));
        notCsv.Status.ShouldBe(HttpStatusCode.BadRequest);
        notCsv.Text.ShouldContain("The file must be a CSV file");
        var tooBig = await operatorBrowser.SubmitAsync("console/batches/new", "console/batches/upload-url",
            new() { ["fileName"] = "huge.csv", ["size"] = (101L * 1024 * 1024).ToString() });
        tooBig.Status.ShouldBe(HttpStatusCode.BadRequest);
        JsonDocument.Parse(tooBig.Html).RootElement.Str("error").ShouldBe("The file is 101 MB: a batch file can be at most 100 MB (1,000,000 lines). Split it into smaller files.");

        (await agent.GetAsync("console/batches/new")).Status.ShouldBe(HttpStatusCode.Forbidden);
        var refused = await agent.PostAsync("console/batches/upload-url", ConsoleClient.Token((await agent.GetAsync("console/requests/new")).Html),
            new() { ["fileName"] = "a.csv", ["size"] = "10" });
        refused.Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_browser_is_given_an_upload_url_storage_lets_only_the_console_s_origin_put_to()
    {
        var merchant = await suite.NewMerchantAsync();
        using var operatorBrowser = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Operator));
        var form = await operatorBrowser.GetAsync("console/batches/new");
        var blobOrigin = new Uri(suite.Storage.BlobOrigin);
        form.Headers.GetValues("Content-Security-Policy").Single().ShouldContain($"connect-src 'self' {blobOrigin.GetLeftPart(UriPartial.Authority)};");

        var started = await operatorBrowser.PostAsync("console/batches/upload-url", ConsoleClient.Token(form.Html),
            new() { ["fileName"] = "april.csv", ["size"] = "100" });
        started.Status.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(started.Html).RootElement;
        var uploadUrl = new Uri(body.Str("uploadUrl"));
        body.Str("uploaded").ShouldStartWith("/console/batches/");

        var consoleOrigin = new Uri(suite.BaseUrl).GetLeftPart(UriPartial.Authority);
        (await PreflightAsync(uploadUrl, consoleOrigin)).ShouldBe((HttpStatusCode.OK, consoleOrigin));
        (await PreflightAsync(uploadUrl, "https://elsewhere.example")).Status.ShouldBe(HttpStatusCode.Forbidden);

        (await BatchFiles.UploadAsync(uploadUrl, BatchFiles.Csv(BatchFiles.Header, BatchFiles.Line()))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var told = await operatorBrowser.PostAsync(body.Str("uploaded").TrimStart('/'), ConsoleClient.Token(form.Html), []);
        told.Status.ShouldBe(HttpStatusCode.Redirect);
        (await operatorBrowser.WaitForTextAsync(told.Location!, "Check before sending")).Text.ShouldContain("Will be sent 1");
    }

    private static async Task<(HttpStatusCode Status, string? AllowedOrigin)> PreflightAsync(Uri uploadUrl, string origin)
    {
        using var http = new HttpClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, uploadUrl);
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-ms-blob-type");
        using var response = await http.SendAsync(preflight);
        return (response.StatusCode, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowed) ? allowed.Single() : null);
    }
}
