using System.Text;
using PayByLink.Core.Batches;

namespace PayByLink.Core.Tests.Batches;

public class CsvRecordReaderTests
{
    /// <summary>Every record, read as the processor reads (asynchronously, from a source that hands out a few characters
    /// at a time); read synchronously from the whole text too, which must agree.</summary>
    private static List<CsvRecord> ReadAll(string text, int maxRecordChars = CsvRecordReader.DefaultMaxRecordChars)
    {
        var reader = new CsvRecordReader(new TrickleReader(text, 7), maxRecordChars);
        var records = new List<CsvRecord>();
        while (reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult() is { } record)
        {
            records.Add(record);
        }

        var sync = new CsvRecordReader(new StringReader(text), maxRecordChars);
        var synced = new List<CsvRecord>();
        while (sync.Read() is { } record)
        {
            synced.Add(record);
        }

        synced.Select(Shape).ShouldBe(records.Select(Shape));
        return records;
    }

    private static string Shape(CsvRecord r) => $"{r.Line}|{string.Join('\u001f', r.Fields)}|{r.Raw}|{r.ErrorCode}";

    private sealed class TrickleReader(string text, int most) : StringReader(text)
    {
        public override int Read(char[] buffer, int index, int count) => base.Read(buffer, index, Math.Min(most, count));

        public override int Read(Span<char> buffer) => base.Read(buffer[..Math.Min(most, buffer.Length)]);

        public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }

    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks()
    {
        var record = ReadAll("a,\"b,c\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n").Single();

        record.Fields.ShouldBe(["a", "b,c", "say \"hi\"", "two\r\nlines"]);
        record.Raw.ShouldBe("a,\"b,c\",\"say \"\"hi\"\"\",\"two\r\nlines\"");
        record.IsMalformed.ShouldBeFalse();
    }

    [Fact]
    public void Records_carry_the_line_they_start_on_across_mixed_endings_blank_lines_and_quoted_breaks()
    {
        var records = ReadAll("h\r\none\n\n\"x\ny\"\rlast");

        records.Select(r => (r.Line, r.Fields[0])).ShouldBe([(1, "h"), (2, "one"), (4, "x\ny"), (6, "last")]);
    }

    [Fact]
    public void Empty_fields_and_a_missing_final_line_break_are_read()
    {
        ReadAll("a,,\"\",d").Single().Fields.ShouldBe(["a", "", "", "d"]);
    }

    [Theory]
    [InlineData("ab\"c,d\nnext", "malformed_quotes")]
    [InlineData("\"ab\"c,d\nnext", "malformed_quotes")]
    public void A_stray_quote_fails_its_record_and_the_next_line_is_read(string text, string code)
    {
        var records = ReadAll(text);

        records[0].ErrorCode.ShouldBe(code);
        records[1].Fields.ShouldBe(["next"]);
        records[1].IsMalformed.ShouldBeFalse();
    }

    [Fact]
    public void An_unterminated_quote_at_the_end_fails_its_record()
    {
        ReadAll("a\n\"open,b").Last().ErrorCode.ShouldBe("unterminated_quote");
    }

    [Fact]
    public void An_over_long_record_fails_keeps_only_its_start_and_reading_resumes_at_the_next_line()
    {
        var records = ReadAll("ok\n" + new string('x', 5000) + ",y\nafter", maxRecordChars: 1000);

        records[1].ErrorCode.ShouldBe("record_too_long");
        records[1].Raw.Length.ShouldBe(CsvRecordReader.KeptCharsOfLongRecord + 1);
        records[1].Line.ShouldBe(2);
        records[2].Fields.ShouldBe(["after"]);
        records[2].Line.ShouldBe(3);
    }

    [Fact]
    public void An_unterminated_quote_cut_off_by_the_record_limit_fails_its_own_line_and_reading_resumes_on_the_next()
    {
        var records = ReadAll("\"never closed\n" + string.Join("\n", Enumerable.Repeat("line", 400)), maxRecordChars: 100);

        records[0].ShouldBe(records[0] with { Line = 1, Raw = "\"never closed", ErrorCode = "unterminated_quote" });
        records.Count.ShouldBe(401);
        records.Skip(1).ShouldAllBe(r => !r.IsMalformed && r.Fields[0] == "line");
        records.Select(r => r.Line).ShouldBe(Enumerable.Range(1, 401));
    }

    [Fact]
    public void A_quote_left_open_fails_only_its_own_line_when_the_file_ends_before_it_closes()
    {
        var records = ReadAll("Reference,Amount,Name,Reason\r\nQ-1,5.00,A,\"unterminated,…\r\nQ-2,5.00,B,ok\r\nQ-3,5.00,C,ok\r\nQ-4,5.00,D,ok\r\n");

        records.Count.ShouldBe(5);
        records[1].Line.ShouldBe(2);
        records[1].ErrorCode.ShouldBe("unterminated_quote");
        records[1].Raw.ShouldBe("Q-1,5.00,A,\"unterminated,…");
        records[1].Fields.ShouldBe(["Q-1", "5.00", "A", "unterminated,…"]);
        records.Skip(2).Select(r => (r.Line, r.Fields[0], r.IsMalformed)).ShouldBe([(3, "Q-2", false), (4, "Q-3", false), (5, "Q-4", false)]);
    }

    [Fact]
    public void A_quote_left_open_on_the_last_line_fails_that_line()
    {
        var records = ReadAll("h\nok\n\"open,b\n");

        records.Select(r => (r.Line, r.ErrorCode)).ShouldBe([(1, null), (2, null), (3, "unterminated_quote")]);
    }

    [Fact]
    public void A_quote_closed_by_a_later_line_into_text_that_does_not_parse_fails_only_the_line_that_opened_it()
    {
        // The quote opened on line 2 is closed by the one before Carol, which text follows: not one well-formed record.
        var records = ReadAll("h\nQ-1,\"open\nQ-2,Bob\nQ-3,\"Carol\",x\n");

        records.Select(r => (r.Line, r.ErrorCode, r.Fields[0])).ShouldBe(
            [(1, null, "h"), (2, "unterminated_quote", "Q-1"), (3, null, "Q-2"), (4, null, "Q-3")]);
    }

    [Fact]
    public void A_record_spanning_lines_with_other_than_the_header_s_field_count_fails_only_its_first_line()
    {
        var text = "h1,h2,h3\nQ-1,\"open,x\nQ-2\",b,c\nQ-3,\"two\nlines\",c\n";
        var reader = new CsvRecordReader(new StringReader(text));
        reader.ExpectedFields = reader.Read()!.Fields.Count;
        var records = new List<CsvRecord>();
        while (reader.Read() is { } record)
        {
            records.Add(record);
        }

        records.Select(r => (r.Line, r.ErrorCode)).ShouldBe([(2, "unterminated_quote"), (3, "malformed_quotes"), (4, null)]);
        records[2].Fields.ShouldBe(["Q-3", "two\nlines", "c"]);
    }

    [Fact]
    public async Task In_a_hundred_thousand_line_file_a_quote_left_open_costs_its_own_line_and_no_other_from_any_chunk_start()
    {
        const int records = 100_000, bad = 61_234;
        var text = new StringBuilder("ClientTransactionRef,Amount,Reason\r\n");
        for (var i = 1; i <= records; i++)
        {
            text.Append(i == bad ? $"R-{i},5.00,\"unterminated\r\n" : $"R-{i},5.00,Council tax\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var reader = new CsvRecordReader(BatchFile.OpenText(new MemoryStream(bytes)));
        reader.ExpectedFields = (await reader.ReadAsync(CancellationToken.None))!.Fields.Count;
        var starts = new List<(long Position, int Line)>();
        var read = new List<CsvRecord>();
        while (true)
        {
            var start = (reader.BytePosition, reader.Line);
            if (await reader.ReadAsync(CancellationToken.None) is not { } record)
            {
                break;
            }

            if (read.Count % 500 == 0)
            {
                starts.Add(start);
            }

            read.Add(record);
        }

        read.Count.ShouldBe(records);
        read.Where(r => r.IsMalformed).Select(r => (r.Line, r.ErrorCode)).ShouldBe([(bad + 1, "unterminated_quote")]);
        read.Select(r => r.Fields[0]).ShouldBe(Enumerable.Range(1, records).Select(i => $"R-{i}"));

        // The chunk that holds the bad line, and the one after it, read from their own starts as the chunk workers do.
        foreach (var chunk in new[] { (bad - 1) / 500, (bad - 1) / 500 + 1 })
        {
            var resumed = new CsvRecordReader(BatchFile.OpenText(new MemoryStream(bytes[(int)starts[chunk].Position..])), firstLine: starts[chunk].Line)
            {
                ExpectedFields = 3,
            };
            for (var i = 0; i < 500; i++)
            {
                Shape((await resumed.ReadAsync(CancellationToken.None))!).ShouldBe(Shape(read[chunk * 500 + i]));
            }
        }
    }

    [Fact]
    public void A_quote_open_for_more_lines_than_a_record_may_span_fails_its_own_line()
    {
        var lines = Enumerable.Range(1, CsvRecordReader.MaxRecordLines + 5).Select(i => $"r{i}").ToList();
        var records = ReadAll("\"open\n" + string.Join("\n", lines) + "\"\n");

        records[0].ShouldBe(records[0] with { Line = 1, ErrorCode = "unterminated_quote" });
        records.Count.ShouldBe(lines.Count + 1);
        records[^1].ErrorCode.ShouldBe("malformed_quotes", "the last line has the quote that would have closed it");
    }

    [Fact]
    public void A_closed_quoted_line_break_within_the_limits_stays_one_record()
    {
        var field = string.Join("\n", Enumerable.Range(1, CsvRecordReader.MaxRecordLines).Select(i => $"l{i}"));
        var records = ReadAll($"a,\"{field}\"\nnext");

        records[0].Fields.ShouldBe(["a", field]);
        records[0].IsMalformed.ShouldBeFalse();
        records[1].Line.ShouldBe(CsvRecordReader.MaxRecordLines + 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task A_reader_opened_at_the_byte_position_and_line_of_any_record_reads_the_same_records_from_there(int most)
    {
        // Multi-byte text (two- and three-byte letters, and emoji whose surrogate pairs the trickle splits), quoted
        // breaks, blank lines, every line ending, a quote left open, a malformed and an over-long record.
        var text = "h,é\r\nAnna,Ñoño\n\"open,ß\n\n\"x\r\n😀y\",€\rBob,\"a\"b\n" + new string('ü', 60) + "\r\n\r\n😀😀,last";
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var reader = new CsvRecordReader(new TrickleReader(text, most), maxRecordChars: 40);
        var starts = new List<(long Position, int Line, CsvRecord Record)>();
        while (true)
        {
            var (position, line) = (reader.BytePosition, reader.Line);
            if (await reader.ReadAsync(CancellationToken.None) is not { } record)
            {
                position.ShouldBe(bytes.Length, "at the end, the position is the file's length");
                break;
            }

            starts.Add((position, line, record));
        }

        starts.Count.ShouldBe(7);
        starts[2].Record.ErrorCode.ShouldBe("unterminated_quote");
        for (var i = 0; i < starts.Count; i++)
        {
            var resumed = new CsvRecordReader(BatchFile.OpenText(new MemoryStream(bytes[(int)starts[i].Position..])), maxRecordChars: 40,
                firstLine: starts[i].Line);
            var rest = new List<CsvRecord>();
            while (await resumed.ReadAsync(CancellationToken.None) is { } record)
            {
                rest.Add(record);
            }

            rest.Select(Shape).ShouldBe(starts.Skip(i).Select(s => Shape(s.Record)), $"from record {i}");
        }
    }
}
