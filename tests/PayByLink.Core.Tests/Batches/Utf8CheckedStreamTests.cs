using System.Text;
using PayByLink.Core.Batches;

namespace PayByLink.Core.Tests.Batches;

public class Utf8CheckedStreamTests
{
    /// <summary>Reads the whole stream through a text reader, as the batch processor does, in reads of the given size.</summary>
    private static int? LineOfInvalidBytes(byte[] file, int readSize)
    {
        using var reader = BatchFile.OpenText(new TrickleStream(file, readSize));
        try
        {
            reader.ReadToEnd();
            return null;
        }
        catch (InvalidUtf8Exception e)
        {
            return e.Line;
        }
    }

    private static byte[] Lines(int count, string ending, int badLine, byte[] bad)
    {
        var bytes = new List<byte>();
        for (var line = 1; line <= count; line++)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes($"REF-{line},12.50,ACC,Ann,Lée £€ 🙂,"));
            if (line == badLine)
            {
                bytes.AddRange(bad);
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(ending));
        }

        return [.. bytes];
    }

    [Theory]
    [InlineData("\r\n", 65536)]
    [InlineData("\n", 65536)]
    [InlineData("\r", 65536)]
    [InlineData("\r\n", 1)]
    [InlineData("\r\n", 7)]
    public void A_latin1_pound_sign_on_line_2500_of_3000_is_reported_on_line_2500(string ending, int readSize) =>
        LineOfInvalidBytes(Lines(3000, ending, 2500, [0xA3]), readSize).ShouldBe(2500);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void Valid_text_with_characters_split_across_reads_passes(int readSize) =>
        LineOfInvalidBytes(Lines(500, "\r\n", 0, []), readSize).ShouldBeNull();

    [Fact]
    public void A_file_cut_in_the_middle_of_a_character_is_invalid_on_its_last_line() =>
        LineOfInvalidBytes([.. Encoding.UTF8.GetBytes("a\nb\n"), 0xE2, 0x82], 2).ShouldBe(3);

    [Fact]
    public void An_overlong_encoding_is_invalid() =>
        LineOfInvalidBytes([.. Encoding.UTF8.GetBytes("ok\n"), 0xC0, 0xAF], 64).ShouldBe(2);

    /// <summary>A stream that hands out at most so many bytes a read, as a network stream may.</summary>
    private sealed class TrickleStream(byte[] data, int most) : MemoryStream(data)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(most, buffer.Length)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(most, count));
    }
}
