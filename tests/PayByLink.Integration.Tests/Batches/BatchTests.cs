using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Batches;

/// <summary>Batches end to end over real HTTP on the local runtime: start, PUT the file to the upload URL, processing on its own, results.</summary>
[Collection(SuiteCollection.Name)]
public class BatchTests(SuiteFixture suite)
{
    [Fact]
    public async Task A_file_with_bad_lines_completes_with_errors_and_its_fixed_export_completes()
    {
        var merchant = await suite.NewMerchantAsync();
        var good1 = BatchFiles.NewRef();
        var good2 = BatchFiles.NewRef();
        var badAmount = BatchFiles.NewRef();
        var badMobile = BatchFiles.NewRef();
        var batchId = await merchant.StartAndUploadAsync(BatchFiles.Csv(
            BatchFiles.Header,
            BatchFiles.Line(good1),
            BatchFiles.Line(badAmount, amount: "12.345"),
            BatchFiles.Line(good2, lastName: "Jones"),
            BatchFiles.Line(badMobile, mobile: "12345")));

        var batch = await merchant.WaitForFinishAsync(batchId);

        batch.Str("status").ShouldBe("CompletedWithErrors");
        (batch.Int("totalRecords"), batch.Int("sent"), batch.Int("failed"), batch.Int("accepted"), batch.Int("pending")).ShouldBe((4, 2, 2, 0, 0));
        var failed = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/batches/{batchId}/failed-records")).GetProperty("items")
            .EnumerateArray().ToList();
        failed.Select(f => f.Int("line")).ShouldBe([3, 5]);
        failed[0].Str("record").ShouldBe(BatchFiles.Line(badAmount, amount: "12.345"));
        failed[0].GetProperty("reasons")[0].Str("field").ShouldBe("amount");
        failed[1].GetProperty("reasons")[0].Str("field").ShouldBe("customer.mobileNumber");
        var list = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?clientTransactionRef={good2}");
        list.GetProperty("items")[0].Str("status").ShouldBe("Sent");

        var export = await FailedRecordsCsvAsync(merchant, batchId);
        var exportLines = export.TrimEnd().Split("\r\n");
        exportLines[0].ShouldBe(BatchFiles.Header + ",Error");
        exportLines.Length.ShouldBe(3);
        exportLines[1].ShouldStartWith($"{badAmount},12.345,");
        exportLines[1].ShouldContain("amount:");
        var fixedFile = export.Replace(",12.345,", ",12.34,").Replace(",12345,", ",07700 900456,");

        var fixedBatch = await merchant.WaitForFinishAsync(await merchant.StartAndUploadAsync(Encoding.UTF8.GetBytes(fixedFile)));

        fixedBatch.Str("status").ShouldBe("Completed");
        (fixedBatch.Int("totalRecords"), fixedBatch.Int("sent"), fixedBatch.Int("failed")).ShouldBe((2, 2, 0));
    }

    [Fact]
    public async Task The_upload_url_can_write_only_its_own_blob_and_never_read()
    {
        var merchant = await suite.NewMerchantAsync();
        var (_, url) = await merchant.StartAsync();
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        query["sp"].ShouldBe("c"); // create only: storage refuses to overwrite, so the URL uploads once
        query["sr"].ShouldBe("b");

        using var http = new HttpClient();
        (await http.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var other = new UriBuilder(url) { Path = url.AbsolutePath.Replace(".csv", "-other.csv") }.Uri;
        (await BatchFiles.UploadAsync(other, BatchFiles.Csv(BatchFiles.Header))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var container = new UriBuilder(url) { Path = url.AbsolutePath[..url.AbsolutePath.LastIndexOf('/')], Query = url.Query.TrimStart('?') + "&restype=container&comp=list" }.Uri;
        (await http.GetAsync(container)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Confirm_before_upload_is_a_conflict_and_after_upload_is_accepted_every_time()
    {
        var merchant = await suite.NewMerchantAsync();
        var (batchId, url) = await merchant.StartAsync();

        var early = await merchant.Http.PostAsync($"api/v1/batches/{batchId}/confirm", null);
        early.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await early.JsonAsync()).Str("code").ShouldBe("batch-not-uploaded");

        var reference = BatchFiles.NewRef();
        (await BatchFiles.UploadAsync(url, BatchFiles.Csv(BatchFiles.Header, BatchFiles.Line(reference)))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var confirms = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => merchant.Http.PostAsync($"api/v1/batches/{batchId}/confirm", null)));
        confirms.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Accepted);

        var batch = await merchant.WaitForFinishAsync(batchId);
        batch.Str("status").ShouldBe("Completed");
        var requestId = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?clientTransactionRef={reference}"))
            .GetProperty("items")[0].Str("requestId");
        (await suite.Outbox.ForRequestAsync(requestId, 1)).Count.ShouldBe(1);
        (await merchant.Http.PostAsync($"api/v1/batches/{batchId}/confirm", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Lines_meet_earlier_requests_as_a_single_create_would()
    {
        var merchant = await suite.NewMerchantAsync();
        var identical = BatchFiles.NewRef();
        var conflicting = BatchFiles.NewRef();
        foreach (var reference in new[] { identical, conflicting })
        {
            var body = Requests.ValidCreate(reference).With("amount", 25.00m).With("accountReference", "ACC-1").With("reason", "Council tax")
                .Without("customer.email");
            (await merchant.CreateAsync(body)).StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var earlierId = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?clientTransactionRef={identical}"))
            .GetProperty("items")[0].Str("requestId");
        await suite.Outbox.ForRequestAsync(earlierId, 1);

        var batchId = await merchant.StartAndUploadAsync(BatchFiles.Csv(BatchFiles.Header,
            BatchFiles.Line(identical), BatchFiles.Line(conflicting, amount: "99.00")));
        var batch = await merchant.WaitForFinishAsync(batchId);

        batch.Str("status").ShouldBe("CompletedWithErrors");
        (batch.Int("sent"), batch.Int("failed")).ShouldBe((1, 1));
        var failed = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/batches/{batchId}/failed-records")).GetProperty("items");
        failed.GetArrayLength().ShouldBe(1);
        failed[0].Int("line").ShouldBe(3);
        failed[0].GetProperty("reasons")[0].Str("code").ShouldBe("duplicate_client_transaction_ref");
        (await suite.Outbox.ForRequestAsync(earlierId, 1)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Batches_list_newest_first_by_page_with_totals_and_stay_with_their_merchant()
    {
        var merchant = await suite.NewMerchantAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await merchant.StartAsync($"file-{i}.csv")).BatchId);

            // Batch ids order by the second they were started in: the next starts in a later one.
            var startedIn = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() == startedIn)
            {
                await Task.Delay(50);
            }
        }

        var first = await merchant.Http.GetFromJsonAsync<JsonElement>("api/v1/batches?page=1&pageSize=2");
        first.Int("totalCount").ShouldBe(3);
        first.GetProperty("items").EnumerateArray().Select(b => b.Str("batchId")).ShouldBe([ids[2], ids[1]]);
        first.GetProperty("items")[0].Str("status").ShouldBe("AwaitingUpload");
        var second = await merchant.Http.GetFromJsonAsync<JsonElement>("api/v1/batches?page=2&pageSize=2");
        second.GetProperty("items").EnumerateArray().Select(b => b.Str("batchId")).ShouldBe([ids[0]]);
        (await merchant.Http.GetAsync("api/v1/batches?pageSize=101")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var other = await suite.NewMerchantAsync();
        (await other.Http.GetFromJsonAsync<JsonElement>("api/v1/batches")).Int("totalCount").ShouldBe(0);
        var notFound = await other.Http.GetAsync($"api/v1/batches/{ids[0]}");
        var missing = await other.Http.GetAsync("api/v1/batches/b_doesnotexist");
        notFound.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await notFound.BodyWithoutTraceIdAsync()).ShouldBe(await missing.BodyWithoutTraceIdAsync());
        (await other.Http.GetAsync($"api/v1/batches/{ids[0]}/failed-records")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.Http.PostAsync($"api/v1/batches/{ids[0]}/confirm", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await suite.ClientWithKey(null).GetAsync("api/v1/batches")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Starting_a_batch_needs_a_file_name()
    {
        var merchant = await suite.NewMerchantAsync();
        var response = await merchant.Http.PostAsJsonAsync("api/v1/batches", new { fileName = " " });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").GetProperty("fileName").GetArrayLength().ShouldBe(1);
    }

    public static async Task<string> FailedRecordsCsvAsync(TestMerchant merchant, string batchId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/batches/{batchId}/failed-records");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await merchant.Http.SendAsync(request);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        return await response.Content.ReadAsStringAsync();
    }
}
