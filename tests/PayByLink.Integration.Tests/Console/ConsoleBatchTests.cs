using System.Net;
using System.Net.Http.Json;
using PayByLink.Core.Staff;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Console;

/// <summary>An operator watches a batch in the console: its counts, its funnel as a chart and a table, and its failed records.</summary>
[Collection(SuiteCollection.Name)]
public sealed class ConsoleBatchTests(SuiteFixture suite)
{
    [Fact]
    public async Task An_operator_sees_a_batch_s_counts_and_funnel_and_downloads_its_failed_records_to_fix()
    {
        var merchant = await suite.NewMerchantAsync();
        using var operatorBrowser = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Operator));
        var paid = BatchFiles.NewRef();
        var batchId = await merchant.StartAndUploadAsync(BatchFiles.Csv(
            BatchFiles.Header, BatchFiles.Line(paid), BatchFiles.Line(BatchFiles.NewRef(), amount: "12.345"), BatchFiles.Line(BatchFiles.NewRef(), lastName: "Jones")));
        await merchant.WaitForFinishAsync(batchId);
        var requestId = (await merchant.Http.ReadJsonAsync($"api/v1/payment-requests?clientTransactionRef={paid}")).GetProperty("items")[0].Str("requestId");
        (await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{requestId}", new { status = "Paid" })).EnsureSuccessStatusCode();

        var list = await operatorBrowser.GetAsync("console/batches");
        list.Text.ShouldContain("batch.csv");
        list.Html.ShouldContain($"href=\"/console/batches/{batchId}\"");

        var page = await operatorBrowser.GetAsync($"console/batches/{batchId}");
        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Text.ShouldContain("CompletedWithErrors finished");
        page.Text.ShouldContain("Lines 3 Accepted 0 Sent 2 Failed 1 Pending 0");
        page.Html.ShouldContain("<svg viewBox=\"0 0 320 136\"");
        page.Text.ShouldContain("Sent 2, Delivered");
        page.Text.ShouldContain("Paid 1 50%");
        page.Html.ShouldContain("data-final=\"true\"");
        var progress = await operatorBrowser.GetAsync($"console/batches/{batchId}/progress");
        progress.Html.ShouldStartWith("<section id=\"progress\"");

        var failed = await operatorBrowser.GetAsync($"console/batches/{batchId}/failed-records.csv");
        failed.ContentType.ShouldBe("text/csv");
        var lines = failed.Html.TrimEnd().Split("\r\n");
        lines.Length.ShouldBe(2);
        lines[0].ShouldEndWith(",error");
        lines[1].ShouldContain("12.345");
    }

    [Fact]
    public async Task An_agent_cannot_see_batches_and_another_merchant_s_batch_is_a_404()
    {
        var merchant = await suite.NewMerchantAsync();
        var other = await suite.NewMerchantAsync();
        var theirs = await other.StartAndUploadAsync(BatchFiles.Csv(BatchFiles.Header, BatchFiles.Line()));
        using var agent = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Agent));
        using var operatorBrowser = await ConsoleClient.SignedInAsync(suite, await ConsoleClient.AddUserAsync(suite, merchant.Merchant.Id, StaffRole.Operator));

        (await agent.GetAsync("console/batches")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await operatorBrowser.GetAsync("console/batches")).Text.ShouldContain("No batches yet");
        (await operatorBrowser.GetAsync($"console/batches/{theirs}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await operatorBrowser.GetAsync($"console/batches/{theirs}/failed-records.csv")).Status.ShouldBe(HttpStatusCode.NotFound);
    }
}
