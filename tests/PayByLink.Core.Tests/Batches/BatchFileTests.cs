using PayByLink.Core.Batches;

namespace PayByLink.Core.Tests.Batches;

public class BatchFileTests
{
    private static CsvRecord Record(params string[] fields) => new(2, fields, string.Join(',', fields), null, null);

    private static BatchHeader Header(params string[] names) =>
        BatchFile.ReadHeader(Record(names)).Header.ShouldNotBeNull();

    [Fact]
    public void The_header_is_matched_in_any_order_and_case_and_may_carry_the_export_error_column()
    {
        var header = Header("\uFEFFamount", "CLIENTTRANSACTIONREF", "accountReference", "firstname", "LastName", "Email", "Error");

        header.IndexOf(BatchFile.Amount).ShouldBe(0);
        header.IndexOf(BatchFile.ClientTransactionRef).ShouldBe(1);
    }

    [Theory]
    [InlineData("ClientTransactionRef,Amount,AccountReference,FirstName,LastName", "MobileNumber or an Email")]
    [InlineData("ClientTransactionRef,Amount,AccountReference,FirstName,LastName,Email,email", "more than once")]
    [InlineData("ClientTransactionRef,Amount,FirstName,LastName,Email", "missing: AccountReference")]
    public void A_header_that_cannot_describe_a_request_is_refused(string header, string reason)
    {
        BatchFile.ReadHeader(Record(header.Split(','))).Error.ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void A_record_becomes_the_input_of_a_create()
    {
        var header = Header("ClientTransactionRef", "Amount", "AccountReference", "FirstName", "LastName", "MobileNumber", "Channels", "ExpiresAt");

        var (input, errors) = BatchFile.ToInput(header, Record("INV-1", "120.50", "ACC", "Jane", "Smith", "'+447700900123", "sms;email", "2027-01-31T17:00:00Z"));

        errors.ShouldBeEmpty();
        input!.Amount.ShouldBe(120.50m);
        input.Customer!.MobileNumber.ShouldBe("+447700900123", "an export's formula escape is undone");
        input.Channels.ShouldBe(["sms", "email"]);
        input.ExpiresAt.ShouldBe(new DateTimeOffset(2027, 1, 31, 17, 0, 0, TimeSpan.Zero));
        input.Customer.Email.ShouldBeNull();
    }

    [Fact]
    public void Unreadable_numbers_dates_and_field_counts_are_reasons()
    {
        var header = Header("ClientTransactionRef", "Amount", "AccountReference", "FirstName", "LastName", "Email", "ExpiresAt");

        BatchFile.ToInput(header, Record("INV-1", "1,000", "ACC", "Jane", "Smith", "a@b.com", "soon")).Errors.Select(e => e.Code)
            .ShouldBe(["invalid_number", "invalid_date"]);
        BatchFile.ToInput(header, Record("INV-1", "1")).Errors.Single().Code.ShouldBe("wrong_field_count");
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+44", "'+44")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("plain", "plain")]
    public void Formula_cells_are_escaped_and_read_back_as_they_were(string cell, string escaped)
    {
        BatchFile.EscapeFormula(cell).ShouldBe(escaped);
        BatchFile.Unescape(escaped).ShouldBe(cell);
    }

    [Fact]
    public void Batch_counts_always_add_up_even_when_a_delivery_is_counted_before_its_line()
    {
        var counts = BatchCounts.From(10, [new ChunkTally(4, 2, 2, 3, 0)]);

        (counts.Accepted + counts.Sent + counts.Failed + counts.Pending).ShouldBe(10);
        counts.ShouldBe(new BatchCounts(10, 0, 3, 2, 5));
    }

    [Theory]
    [InlineData(2_000, 1_990, 10, 1_990, 0, true)]
    [InlineData(2_000, 2_000, 0, 1_999, 1, true)]
    [InlineData(2_000, 2_000, 0, 1_999, 0, false)] // a delivery still open
    [InlineData(1_952, 1_952, 0, 1_952, 0, false)] // records not yet split
    public void A_chunk_is_settled_when_every_record_is_a_line_and_every_accepted_line_is_delivered_or_failed(
        int nextRecord, int accepted, int rejected, int sent, int deliveryFailed, bool settled) =>
        new ChunkTally(nextRecord, accepted, rejected, sent, deliveryFailed).IsSettled(2_000).ShouldBe(settled);

    [Fact]
    public void Chunks_hold_a_few_hundred_records_each_and_the_last_chunk_holds_the_remainder()
    {
        var batch = new PayByLink.Core.Batches.Batch("m", "b", "f.csv", BatchStatus.Processing, default, default, default) { TotalRecords = 1_100 };

        batch.ChunkCount.ShouldBe(3);
        batch.ChunkSize(0).ShouldBe(PayByLink.Core.Batches.Batch.RecordsPerChunk);
        batch.ChunkSize(2).ShouldBe(100);
    }
}
