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
    public void An_unterminated_quote_is_cut_off_at_the_record_limit_and_reading_resumes()
    {
        var records = ReadAll("\"never closed\n" + string.Join("\n", Enumerable.Repeat("line", 400)), maxRecordChars: 100);

        records[0].ErrorCode.ShouldBe("record_too_long");
        records.Count.ShouldBeGreaterThan(300);
        records.Skip(1).ShouldAllBe(r => !r.IsMalformed && r.Fields[0] == "line");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task A_reader_opened_at_the_byte_position_and_line_of_any_record_reads_the_same_records_from_there(int most)
    {
        // Multi-byte text (two- and three-byte letters, and emoji whose surrogate pairs the trickle splits), quoted
        // breaks, blank lines, every line ending, a malformed and an over-long record.
        var text = "h,é\r\nAnna,Ñoño\n\n\"x\r\n😀y\",€\rBob,\"a\"b\n" + new string('ü', 60) + "\r\n\r\n😀😀,last";
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

        starts.Count.ShouldBe(6);
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
