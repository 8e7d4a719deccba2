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
/// <see cref="ReadAsync"/> reads the text asynchronously: it keeps a window of text longer than any record allowed
/// ahead of the record it parses, and skips the rest of an over-long one asynchronously too.
/// </summary>
public sealed class CsvRecordReader(TextReader reader, int maxRecordChars = CsvRecordReader.DefaultMaxRecordChars)
{
    public const int DefaultMaxRecordChars = 10_000;

    /// <summary>How much of an over-long record is kept as its text.</summary>
    public const int KeptCharsOfLongRecord = 200;

    private readonly char[] _buffer = new char[Math.Max(64 * 1024, 2 * maxRecordChars + 4)];
    private int _position;
    private int _length;
    private int _line = 1;
    private bool _atEnd;

    /// <summary>Set when a record ran past <see cref="MaxRecordChars"/>: the rest of its line is still to be skipped.</summary>
    private bool _skipToLineEnd;

    public int MaxRecordChars { get; } = maxRecordChars;

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
            while (_skipToLineEnd && Next() is var c and >= 0)
            {
                SkipPast((char)c);
            }

            if (!IsBlank(record))
            {
                return record;
            }
        }
    }

    /// <summary>The next non-blank record, or null at the end of the text, reading the text asynchronously.</summary>
    public async ValueTask<CsvRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // A whole record (at most MaxRecordChars, and what follows it) is in the buffer before it is parsed.
            await FillWindowAsync(cancellationToken);
            if (Peek() < 0)
            {
                return null;
            }

            var record = ReadRecord();
            while (_skipToLineEnd)
            {
                if (_position == _length && !await FillAsync(cancellationToken))
                {
                    break;
                }

                var ch = _buffer[_position++];
                if (ch == '\r' && _position == _length)
                {
                    await FillAsync(cancellationToken); // so that a CRLF split across reads is seen whole
                }

                SkipPast(ch);
            }

            if (!IsBlank(record))
            {
                return record;
            }
        }
    }

    private static bool IsBlank(CsvRecord record) => record.Fields is [""] && record.Raw.Length == 0 && !record.IsMalformed;

    /// <summary>One character of an over-long record's rest: its line break ends the skipping.</summary>
    private void SkipPast(char ch)
    {
        if (ch is '\n' or '\r')
        {
            _skipToLineEnd = false;
            EndLine(ch);
        }
    }

    private async ValueTask FillWindowAsync(CancellationToken cancellationToken)
    {
        if (_length - _position > MaxRecordChars + 2 || _atEnd)
        {
            return;
        }

        Array.Copy(_buffer, _position, _buffer, 0, _length - _position);
        (_length, _position) = (_length - _position, 0);
        while (_length < _buffer.Length && !_atEnd)
        {
            var read = await reader.ReadAsync(_buffer.AsMemory(_length), cancellationToken);
            _atEnd = read == 0;
            _length += read;
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_atEnd)
        {
            return false;
        }

        _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
        _position = 0;
        _atEnd = _length == 0;
        return !_atEnd;
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
                // Past the limit a quote can no longer be trusted: the record ends at the next line break, which the
                // caller skips to.
                Fail("record_too_long", $"The record is longer than {MaxRecordChars} characters.");
                _skipToLineEnd = true;
                SkipPast(ch);
                break;
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
        if (_atEnd)
        {
            return false;
        }

        _length = reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        _atEnd = _length == 0;
        return !_atEnd;
    }
}
