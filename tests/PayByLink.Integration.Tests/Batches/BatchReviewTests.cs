using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Batches;

/// <summary>A batch started for review over real HTTP: checked when it lands, nothing sent until confirmed; or discarded.</summary>
[Collection(SuiteCollection.Name)]
public class BatchReviewTests(SuiteFixture suite)
{
    [Fact]
    public async Task A_reviewed_file_waits_with_its_check_sends_nothing_and_sends_what_the_check_said_once_confirmed()
    {
        var merchant = await suite.NewMerchantAsync();
        (await merchant.Http.PostAsJsonAsync("api/v1/opt-outs", new { mobileNumber = "07700 900999" })).IsSuccessStatusCode.ShouldBeTrue();
        var (good1, good2, optedOut, badAmount, badMobile) = (BatchFiles.NewRef(), BatchFiles.NewRef(), BatchFiles.NewRef(), BatchFiles.NewRef(), BatchFiles.NewRef());
        var (batchId, url) = await merchant.StartAsync("review.csv", review: true);
        (await BatchFiles.UploadAsync(url, BatchFiles.Csv(BatchFiles.Header,
            BatchFiles.Line(good1),
            BatchFiles.Line(badAmount, amount: "12.345"),
            BatchFiles.Line(good2, lastName: "Jones"),
            BatchFiles.Line(optedOut, mobile: "07700 900999"),
            BatchFiles.Line(badMobile, mobile: "12345"),
            BatchFiles.Line(good1, lastName: "Again")))).StatusCode.ShouldBe(HttpStatusCode.Created);

        var waiting = await merchant.WaitForStatusAsync(batchId, "AwaitingConfirmation");

        waiting.Str("status").ShouldBe("AwaitingConfirmation");
        waiting.GetProperty("review").GetBoolean().ShouldBeTrue();
        var check = waiting.GetProperty("checked");
        (check.Int("totalRecords"), check.Int("willSend"), check.Int("smsMessages"), check.Int("emailMessages"), check.Int("failingLines"),
            check.Int("optedOutSms"), check.Int("heldBackLines")).ShouldBe((6, 2, 2, 0, 3, 1, 1));
        var failures = check.GetProperty("failures").EnumerateArray().ToDictionary(f => f.Str("code"), f => f.GetProperty("lines").EnumerateArray().Select(l => l.GetInt32()).ToList());
        failures["duplicate_in_file"].ShouldBe([7]);
        failures.Values.SelectMany(l => l).Order().ShouldBe([3, 6, 7]);
        check.GetProperty("capReached").ValueKind.ShouldBe(JsonValueKind.Null);
        foreach (var reference in new[] { good1, good2, optedOut })
        {
            (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?clientTransactionRef={reference}"))
                .GetProperty("items").GetArrayLength().ShouldBe(0, "nothing is made before the confirm");
        }

        using var csv = new HttpRequestMessage(HttpMethod.Get, $"api/v1/batches/{batchId}/failed-records");
        csv.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var export = (await (await merchant.Http.SendAsync(csv)).Content.ReadAsStringAsync()).TrimEnd().Split("\r\n");
        export[0].ShouldBe(BatchFiles.Header + ",Error");
        export.Skip(1).Select(l => l.Split(',')[0]).ShouldBe([badAmount, badMobile, good1]);

        (await merchant.Http.PostAsync($"api/v1/batches/{batchId}/confirm", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var done = await merchant.WaitForFinishAsync(batchId);

        done.Str("status").ShouldBe("CompletedWithErrors");
        (done.Int("totalRecords"), done.Int("sent"), done.Int("failed")).ShouldBe((6, 2, 4), "the check's two to send, and its three failing plus the opted-out line");
        var failed = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/batches/{batchId}/failed-records")).GetProperty("items");
        failed.EnumerateArray().Select(f => f.Int("line")).ShouldBe([3, 5, 6, 7]);
    }

    [Fact]
    public async Task A_reviewed_file_discarded_is_cancelled_and_cannot_be_confirmed_and_a_finished_batch_cannot_be_cancelled()
    {
        var merchant = await suite.NewMerchantAsync();
        var reference = BatchFiles.NewRef();
        var (batchId, url) = await merchant.StartAsync("discard.csv", review: true);
        (await BatchFiles.UploadAsync(url, BatchFiles.Csv(BatchFiles.Header, BatchFiles.Line(reference)))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await merchant.WaitForStatusAsync(batchId, "AwaitingConfirmation")).Str("status").ShouldBe("AwaitingConfirmation");

        var discarded = await merchant.Http.PostAsync($"api/v1/batches/{batchId}/cancel", null);
        discarded.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await discarded.JsonAsync()).Str("status").ShouldBe("Cancelled");
        (await merchant.Http.PostAsync($"api/v1/batches/{batchId}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var confirm = await merchant.Http.PostAsync($"api/v1/batches/{batchId}/confirm", null);
        confirm.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await confirm.JsonAsync()).Str("code").ShouldBe("batch-cancelled");
        (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?clientTransactionRef={reference}"))
            .GetProperty("items").GetArrayLength().ShouldBe(0);
        var events = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/batches/{batchId}/events");
        events.GetProperty("items").EnumerateArray().Select(e => e.Str("type")).ShouldContain("batch.cancelled");

        var finished = await merchant.StartAndUploadAsync(BatchFiles.Csv(BatchFiles.Header, BatchFiles.Line()));
        (await merchant.WaitForFinishAsync(finished)).Str("status").ShouldBe("Completed");
        var late = await merchant.Http.PostAsync($"api/v1/batches/{finished}/cancel", null);
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await late.JsonAsync()).Str("code").ShouldBe("batch-finished");
        (await merchant.Http.PostAsync("api/v1/batches/nope/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_review_a_batch_is_sent_when_it_lands_as_before()
    {
        var merchant = await suite.NewMerchantAsync();
        var batch = await merchant.WaitForFinishAsync(await merchant.StartAndUploadAsync(BatchFiles.Csv(BatchFiles.Header, BatchFiles.Line())));
        batch.Str("status").ShouldBe("Completed");
        batch.GetProperty("review").GetBoolean().ShouldBeFalse();
        batch.GetProperty("checked").ValueKind.ShouldBe(JsonValueKind.Null);
    }
}
