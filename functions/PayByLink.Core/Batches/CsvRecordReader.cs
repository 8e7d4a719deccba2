using System.Text;

namespace PayByLink.Core.Batches;

/// <summary>One CSV record as read: where it starts, its fields, its text as uploaded, and why it is malformed if it is.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, string Raw, string? ErrorCode, string? ErrorMessage)
{
    public bool IsMalformed => ErrorCode is not null;
}

/// <summary>
/// Reads RFC 4180 CSV one record at a time from a stream of text, never holding more than one record: quoted
/// fields with doubled quotes and embedded line breaks, CRLF, LF or CR line endings mixed freely, blank lines
/// skipped. A malformed record (a stray quote, an unterminated quote, a record over <see cref="MaxRecordChars"/>)
/// comes back with its reason and reading carries on from the next line, so one bad record never costs the others.
/// </summary>
public sealed class CsvRecordReader(TextReader reader, int maxRecordChars = CsvRecordReader.DefaultMaxRecordChars)
{
    public const int DefaultMaxRecordChars = 10_000;

    /// <summary>How much of an over-long record is kept as its text.</summary>
    public const int KeptCharsOfLongRecord = 200;

    private readonly char[] _buffer = new char[16 * 1024];
    private int _position;
    private int _length;
    private int _line = 1;

    public int MaxRecordChars { get; } = maxRecordChars;

    /// <summary>The line the reader has reached (1-based).</summary>
    public int CurrentLine => _line;

    /// <summary>The next non-blank record, or null at the end of the text.</summary>
    public CsvRecord? Read()
    {
        while (true)
        {
            if (Peek() < 0)
            {
                return null;
            }

            var record = ReadRecord();
            if (record.Fields is [""] && record.Raw.Length == 0 && !record.IsMalformed)
            {
                continue; // a blank line
            }

            return record;
        }
    }

    private CsvRecord ReadRecord()
    {
        var startLine = _line;
        var fields = new List<string>();
        var field = new StringBuilder();
        var raw = new StringBuilder();
        string? errorCode = null, errorMessage = null;

        void Fail(string code, string message)
        {
            if (errorCode is null)
            {
                errorCode = code;
                errorMessage = message;
            }
        }

        var quoted = false;
        var atFieldStart = true;
        while (true)
        {
            var c = Next();
            if (c < 0)
            {
                if (quoted)
                {
                    Fail("unterminated_quote", "A quoted field is not closed before the end of the file.");
                }

                break;
            }

            var ch = (char)c;
            if (raw.Length >= MaxRecordChars)
            {
                // Past the limit a quote can no longer be trusted: the record ends at the next line break.
                Fail("record_too_long", $"The record is longer than {MaxRecordChars} characters.");
                if (ch is '\n' or '\r')
                {
                    EndLine(ch);
                    break;
                }

                continue;
            }

            if (quoted)
            {
                if (ch == '"')
                {
                    if (Peek() == '"')
                    {
                        Next();
                        field.Append('"');
                        raw.Append("\"\"");
                        continue;
                    }

                    quoted = false;
                    raw.Append(ch);
                    var following = Peek();
                    if (following >= 0 && following is not (',' or '\n' or '\r'))
                    {
                        Fail("malformed_quotes", "A quoted field is followed by text before the next comma.");
                    }

                    continue;
                }

                if (ch is '\n' or '\r')
                {
                    EndLine(ch);
                    field.Append(ch == '\r' ? "\r\n" : "\n");
                    raw.Append(ch == '\r' ? "\r\n" : "\n");
                    continue;
                }

                field.Append(ch);
                raw.Append(ch);
                continue;
            }

            if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                raw.Append(ch);
                atFieldStart = true;
                continue;
            }

            if (ch is '\n' or '\r')
            {
                EndLine(ch);
                break;
            }

            if (ch == '"')
            {
                if (atFieldStart && field.Length == 0)
                {
                    quoted = true;
                    atFieldStart = false;
                    raw.Append(ch);
                    continue;
                }

                Fail("malformed_quotes", "A quote appears inside a field that is not quoted.");
            }

            atFieldStart = false;
            field.Append(ch);
            raw.Append(ch);
        }

        if (errorCode == "record_too_long")
        {
            return new CsvRecord(startLine, [], raw.ToString(0, Math.Min(raw.Length, KeptCharsOfLongRecord)) + "…", errorCode, errorMessage);
        }

        fields.Add(field.ToString());
        return new CsvRecord(startLine, fields, raw.ToString(), errorCode, errorMessage);
    }

    /// <summary>Counts a line break; CRLF is one.</summary>
    private void EndLine(char ch)
    {
        if (ch == '\r' && Peek() == '\n')
        {
            Next();
        }

        _line++;
    }

    private int Peek()
    {
        if (_position == _length && !Fill())
        {
            return -1;
        }

        return _buffer[_position];
    }

    private int Next()
    {
        if (_position == _length && !Fill())
        {
            return -1;
        }

        return _buffer[_position++];
    }

    private bool Fill()
    {
        _length = reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}
