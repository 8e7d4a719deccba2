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
/// skipped. A malformed record (a stray quote, a record over <see cref="MaxRecordChars"/>) comes back with its
/// reason and reading carries on from the next line, so one bad record never costs the others. A quote that carries
/// a record past its first physical line must close it as a well-formed record within <see cref="MaxRecordLines"/>
/// lines and <see cref="MaxRecordChars"/>: otherwise (the end of the file, the limits, or text that does not parse)
/// only that first line fails, as <c>unterminated_quote</c>, and reading resumes on the line after it.
/// <see cref="ReadAsync"/> reads the text asynchronously: it keeps a window of text longer than any record allowed
/// ahead of the record it parses, and skips the rest of an over-long one asynchronously too. Between records,
/// <see cref="BytePosition"/> and <see cref="Line"/> say where the next one starts in the UTF-8 file, so a reader
/// opened there (with that <paramref name="firstLine"/>) reads the same records from that one on.
/// </summary>
public sealed class CsvRecordReader(TextReader reader, int maxRecordChars = CsvRecordReader.DefaultMaxRecordChars, int firstLine = 1)
{
    public const int DefaultMaxRecordChars = 10_000;

    /// <summary>The most physical lines one record may span (quoted line breaks), more than a real multi-line field holds.</summary>
    public const int MaxRecordLines = 20;

    /// <summary>How much of an over-long record is kept as its text.</summary>
    public const int KeptCharsOfLongRecord = 200;

    private readonly char[] _buffer = new char[Math.Max(64 * 1024, 2 * maxRecordChars + 4)];
    private int _position;
    private int _length;
    private int _line = firstLine;
    private bool _atEnd;

    /// <summary>UTF-8 bytes of the text already dropped from the buffer.</summary>
    private long _bytesDropped;

    /// <summary>The buffer dropped a high surrogate last: its low surrogate, first in the buffer now, is already counted.</summary>
    private bool _lowSurrogateCounted;

    /// <summary>Set when a record ran past <see cref="MaxRecordChars"/>: the rest of its line is still to be skipped.</summary>
    private bool _skipToLineEnd;

    public int MaxRecordChars { get; } = maxRecordChars;

    /// <summary>The header's field count, once known: a record that spans lines must have it to be read as one.</summary>
    public int? ExpectedFields { get; set; }

    /// <summary>The physical line the reader is on: between records, the line the next one starts on (or a blank line before it).</summary>
    public int Line => _line;

    /// <summary>How many bytes of the UTF-8 file the text read so far takes: between records, where the next one starts.</summary>
    public long BytePosition => _bytesDropped + Utf8Bytes(_buffer.AsSpan(0, _position), _lowSurrogateCounted);

    /// <summary>Bytes of UTF-8 the text takes (it was decoded from valid UTF-8, so its surrogates come in pairs).</summary>
    private static long Utf8Bytes(ReadOnlySpan<char> text, bool skipLeadingLowSurrogate)
    {
        if (skipLeadingLowSurrogate && text.Length > 0 && char.IsLowSurrogate(text[0]))
        {
            text = text[1..];
        }

        // A pair split by the buffer's end counts whole (four bytes) with its high half.
        return text.Length > 0 && char.IsHighSurrogate(text[^1])
            ? Encoding.UTF8.GetByteCount(text[..^1]) + 4
            : Encoding.UTF8.GetByteCount(text);
    }

    /// <summary>Forgets the first <paramref name="count"/> characters of the buffer, counting their bytes.</summary>
    private void Drop(int count)
    {
        if (count == 0)
        {
            return;
        }

        var dropped = _buffer.AsSpan(0, count);
        _bytesDropped += Utf8Bytes(dropped, _lowSurrogateCounted);
        _lowSurrogateCounted = char.IsHighSurrogate(dropped[^1]);
    }

    /// <summary>The next non-blank record, or null at the end of the text (for text already in memory).</summary>
    public CsvRecord? Read() => ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

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

        Drop(_position);
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

        Drop(_length);
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

        // Where the first physical line ended, once a quoted line break carried the record past it: the buffer holds
        // the whole record (the window is longer than any record allowed), so reading can go back there.
        FirstLine? firstLine = null;
        var unclosed = false;
        var quoted = false;
        var atFieldStart = true;
        while (true)
        {
            var c = Next();
            if (c < 0)
            {
                unclosed = quoted;
                break;
            }

            var ch = (char)c;
            if (raw.Length >= MaxRecordChars && firstLine is not null)
            {
                unclosed = true;
                break;
            }

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
                    var (rawLength, fieldCount, fieldSoFar, code, message) = (raw.Length, fields.Count, field.ToString(), errorCode, errorMessage);
                    EndLine(ch);
                    firstLine ??= new FirstLine(_position, _line, rawLength, fieldCount, fieldSoFar, code, message);
                    if (_line - startLine >= MaxRecordLines)
                    {
                        unclosed = true;
                        break;
                    }

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

        if (firstLine is { } first && (unclosed || errorCode is not null || fields.Count + 1 != (ExpectedFields ?? fields.Count + 1)))
        {
            (_position, _line) = (first.Position, first.Line);
            return new CsvRecord(startLine, [.. fields.Take(first.FieldCount), first.Field], raw.ToString(0, first.RawLength),
                first.ErrorCode ?? "unterminated_quote",
                first.ErrorMessage ?? "A quoted field is not closed on its line, and the lines after it do not close it as one well-formed record.");
        }

        if (unclosed)
        {
            Fail("unterminated_quote", "A quoted field is not closed before the end of the file.");
        }

        if (errorCode == "record_too_long")
        {
            return new CsvRecord(startLine, [], raw.ToString(0, Math.Min(raw.Length, KeptCharsOfLongRecord)) + "…", errorCode, errorMessage);
        }

        fields.Add(field.ToString());
        return new CsvRecord(startLine, fields, raw.ToString(), errorCode, errorMessage);
    }

    /// <summary>A record's first physical line, as read up to its line break, and where the next line starts.</summary>
    private sealed record FirstLine(int Position, int Line, int RawLength, int FieldCount, string Field, string? ErrorCode, string? ErrorMessage);

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

        Drop(_length);
        _length = reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        _atEnd = _length == 0;
        return !_atEnd;
    }
}
