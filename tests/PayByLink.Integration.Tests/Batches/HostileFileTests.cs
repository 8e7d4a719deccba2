using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PayByLink.Integration.Tests.Infrastructure;
using static PayByLink.Integration.Tests.Infrastructure.BatchFiles;

namespace PayByLink.Integration.Tests.Batches;

/// <summary>Files a merchant should never send, and what each does: a bad line fails alone, an unreadable file fails whole.</summary>
[Collection(SuiteCollection.Name)]
public class HostileFileTests(SuiteFixture suite)
{
    private async Task<(JsonElement Batch, List<JsonElement> Failed)> RunAsync(byte[] file)
    {
        var merchant = await suite.NewMerchantAsync();
        var batchId = await merchant.StartAndUploadAsync(file);
        var batch = await merchant.WaitForFinishAsync(batchId);
        var events = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/batches/{batchId}/events")).GetProperty("items").EnumerateArray().ToList();
        events.Select(e => e.Str("type")).ShouldBe(["batch.processing", batch.Str("status") == "Failed" ? "batch.failed" : "batch.completed"]);
        events[^1].GetProperty("data").Str("status").ShouldBe(batch.Str("status"));
        var failed = batch.Str("status") == "Failed"
            ? []
            : (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/batches/{batchId}/failed-records")).GetProperty("items").EnumerateArray().ToList();
        return (batch, failed);
    }

    private static string Code(JsonElement failed) => failed.GetProperty("reasons")[0].Str("code");

    [Fact]
    public async Task Malformed_quotes_fail_their_own_lines_only()
    {
        var (batch, failed) = await RunAsync(Csv(Header,
            Line(),
            $"{NewRef()},25.00,ACC-1,Council \"tax\",Jane,Smith,07700 900123,",
            $"\"{NewRef()}\"x,25.00,ACC-1,Council tax,Jane,Smith,07700 900123,",
            Line()));

        batch.Str("status").ShouldBe("CompletedWithErrors");
        (batch.Int("sent"), batch.Int("failed")).ShouldBe((2, 2));
        failed.Select(f => (f.Int("line"), Code(f))).ShouldBe([(3, "malformed_quotes"), (4, "malformed_quotes")]);
    }

    private static string OpenQuote(string reference) => $"{reference},5.00,ACC-1,\"unterminated,Jane,Smith,07700 900123,";

    [Fact]
    public async Task A_quote_left_open_fails_its_own_line_and_the_lines_after_it_are_sent_with_their_own_rows_in_the_export()
    {
        var merchant = await suite.NewMerchantAsync();
        var bad = NewRef();
        var good = new[] { NewRef(), NewRef(), NewRef() };
        var batchId = await merchant.StartAndUploadAsync(Csv([Header, OpenQuote(bad), .. good.Select(r => Line(r))]));

        var batch = await merchant.WaitForFinishAsync(batchId);

        (batch.Str("status"), batch.Int("totalRecords"), batch.Int("sent"), batch.Int("failed")).ShouldBe(("CompletedWithErrors", 4, 3, 1));
        var failed = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/batches/{batchId}/failed-records")).GetProperty("items").EnumerateArray().ToList();
        failed.Select(f => (f.Int("line"), Code(f), f.Str("record"))).ShouldBe([(2, "unterminated_quote", OpenQuote(bad))]);
        var export = (await BatchTests.FailedRecordsCsvAsync(merchant, batchId)).TrimEnd().Split("\r\n");
        export.Length.ShouldBe(2, "one row per failed line");
        export[1].ShouldStartWith("\"" + OpenQuote(bad).Replace("\"", "\"\"") + "\",");
        foreach (var reference in good)
        {
            (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?clientTransactionRef={reference}"))
                .GetProperty("items").GetArrayLength().ShouldBe(1, reference);
        }
    }

    [Fact]
    public async Task A_quote_left_open_at_a_chunk_boundary_or_at_the_end_of_the_file_fails_only_its_own_line()
    {
        // Record 500, the last of the first chunk, opens a quote that the next chunk's lines do not close (a stray
        // quote there closes it into a record of too many fields); the last record opens one the file's end leaves open.
        var lines = Enumerable.Range(0, 499).Select(_ => Line()).Append(OpenQuote(NewRef()))
            .Append(Line($"{NewRef()}\"")).Concat(Enumerable.Range(0, 5).Select(_ => Line())).Append(OpenQuote(NewRef())).ToArray();

        var (batch, failed) = await RunAsync(Csv([Header, .. lines]));

        (batch.Int("totalRecords"), batch.Int("sent"), batch.Int("failed")).ShouldBe((507, 504, 3));
        failed.Select(f => (f.Int("line"), Code(f))).ShouldBe([(501, "unterminated_quote"), (502, "malformed_quotes"), (508, "unterminated_quote")]);
    }

    [Fact]
    public async Task Mixed_line_endings_and_quoted_line_breaks_keep_every_record_and_its_line_number()
    {
        var file = Encoding.UTF8.GetBytes(Header + "\r\n" + Line() + "\n" + Line() + "\r" +
                                          $"{NewRef()},25.00,ACC-1,\"Council\r\ntax\",Jane,Smith,07700 900123,\n" + Line() + "\r\n");

        var (batch, failed) = await RunAsync(file);

        batch.Int("totalRecords").ShouldBe(4);
        batch.Int("sent").ShouldBe(3);
        failed.Single().Int("line").ShouldBe(4);
        failed.Single().GetProperty("reasons")[0].Str("field").ShouldBe("reason"); // a line break is not allowed in a reason
    }

    [Fact]
    public async Task A_ten_megabyte_line_fails_alone_and_is_not_kept_whole()
    {
        var huge = NewRef() + ",25.00,ACC-1," + new string('x', 10 * 1024 * 1024) + ",Jane,Smith,07700 900123,";

        var (batch, failed) = await RunAsync(Csv(Header, Line(), huge, Line()));

        (batch.Str("status"), batch.Int("sent"), batch.Int("failed")).ShouldBe(("CompletedWithErrors", 2, 1));
        failed.Single().Int("line").ShouldBe(3);
        Code(failed.Single()).ShouldBe("record_too_long");
        failed.Single().Str("record").Length.ShouldBeLessThan(1000);
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_fails_with_the_reason()
    {
        var file = Csv(Header, Line()).Concat(Encoding.Latin1.GetBytes(Line(lastName: "Zoë") + "\r\n")).ToArray();

        var (batch, _) = await RunAsync(file);

        batch.Str("status").ShouldBe("Failed");
        batch.Str("failureReason").ShouldContain("not UTF-8");
        batch.Int("totalRecords").ShouldBe(0);
    }

    [Fact]
    public async Task Formula_cells_are_escaped_in_the_csv_export()
    {
        var merchant = await suite.NewMerchantAsync();
        var batchId = await merchant.StartAndUploadAsync(Csv(Header,
            $"{NewRef()},oops,ACC-1,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",Jane,@SUM(A1),+447700900123,"));
        (await merchant.WaitForFinishAsync(batchId)).Str("status").ShouldBe("CompletedWithErrors");

        var export = await BatchTests.FailedRecordsCsvAsync(merchant, batchId);

        var row = export.Split("\r\n")[1];
        row.ShouldContain(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",");
        row.ShouldContain(",'@SUM(A1),'+447700900123,");
    }

    [Fact]
    public async Task A_reference_repeated_in_the_file_fails_every_later_line()
    {
        var reference = NewRef();
        var filler = Enumerable.Range(0, 60).Select(_ => Line());
        var (batch, failed) = await RunAsync(Csv([Header, Line(reference), Line(reference), .. filler, Line(reference, amount: "30.00")]));

        (batch.Int("totalRecords"), batch.Int("sent"), batch.Int("failed")).ShouldBe((63, 61, 2));
        failed.Select(f => (f.Int("line"), Code(f))).ShouldBe([(3, "duplicate_in_file"), (64, "duplicate_in_file")]);
        failed.ShouldAllBe(f => f.GetProperty("reasons")[0].Str("message") == "Duplicate of line 2.");
    }

    [Fact]
    public async Task A_hundred_columns_fail_the_header_or_the_line()
    {
        var wide = string.Join(',', Enumerable.Range(0, 100).Select(i => $"Column{i}"));
        var (wideHeader, _) = await RunAsync(Csv(wide, string.Join(',', Enumerable.Repeat("x", 100))));
        wideHeader.Str("status").ShouldBe("Failed");
        wideHeader.Str("failureReason").ShouldContain("100 columns");

        var (batch, failed) = await RunAsync(Csv(Header, Line() + string.Concat(Enumerable.Repeat(",x", 92)), Line()));
        (batch.Int("sent"), batch.Int("failed")).ShouldBe((1, 1));
        Code(failed.Single()).ShouldBe("wrong_field_count");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(Header + "\r\n\r\n", "no records")]
    [InlineData("Amount,Reason\r\n1,x\r\n", "Required column(s) missing: ClientTransactionRef")]
    [InlineData("ClientTransactionRef,Amount,Ammount\r\n", "Column(s) 3 of the first row are not known column names")]
    [InlineData("INV-7,45.00,ACC-7,Jane,Smith,07700 900123\r\n", "Column(s) 1, 2, 3, 4, 5 of the first row are not known column names")]
    public async Task A_file_without_a_usable_header_or_records_fails(string content, string reason)
    {
        var (batch, _) = await RunAsync(Encoding.UTF8.GetBytes(content));

        batch.Str("status").ShouldBe("Failed");
        batch.Str("failureReason").ShouldContain(reason);
        foreach (var value in new[] { "Ammount", "Jane", "Smith", "07700", "45.00" })
        {
            batch.Str("failureReason").ShouldNotContain(value);
        }
    }

    [Fact]
    public async Task Columns_in_any_order_and_case_after_a_byte_order_mark_are_read()
    {
        var reference = NewRef();
        var file = Encoding.UTF8.GetPreamble()
            .Concat(Encoding.UTF8.GetBytes($"lastname,MOBILENUMBER,firstName,amount,accountreference,Passphrase,clienttransactionref\r\nSmith,07700 900123,Jane,10,ACC-9,blue heron,{reference}\r\n"))
            .ToArray();

        var (batch, _) = await RunAsync(file);

        (batch.Str("status"), batch.Int("sent")).ShouldBe(("Completed", 1));
    }

    [Fact]
    public async Task A_second_upload_to_the_same_url_is_refused_by_storage_at_once_and_after_processing_and_changes_nothing()
    {
        var merchant = await suite.NewMerchantAsync();
        var (batchId, url) = await merchant.StartAsync();
        (await UploadAsync(url, Csv(Header, Line(), Line()))).StatusCode.ShouldBe(HttpStatusCode.Created);
        await RefusedAsync(await UploadAsync(url, Csv(Header, Line(NewRef()))));
        (await merchant.WaitForFinishAsync(batchId)).Str("status").ShouldBe("Completed");

        var late = NewRef();
        await RefusedAsync(await UploadAsync(url, Csv(Header, Line(late))));

        var batch = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/batches/{batchId}");
        (batch.Str("status"), batch.Int("totalRecords")).ShouldBe(("Completed", 2));
        (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?clientTransactionRef={late}"))
            .GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    /// <summary>The answer the README gives for a second PUT to an upload URL.</summary>
    private static async Task RefusedAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("AuthorizationPermissionMismatch");
    }
}
