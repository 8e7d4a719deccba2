using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace PayByLink.Core.Batches;

/// <summary>A batch file's bytes that are not UTF-8, found on a physical line of the file.</summary>
public sealed class InvalidUtf8Exception(int line) : Exception($"The file is not UTF-8 text: invalid bytes on line {line}.")
{
    public int Line { get; } = line;
}

/// <summary>
/// Passes a file's bytes through, checking that they are UTF-8 and counting physical lines (CRLF, LF or CR) as
/// they go, so that invalid bytes are reported on the line they are on in the file. (A text reader decodes far
/// ahead of the record it hands out, so the line a decoder error surfaces on is not the line of the bytes.)
/// </summary>
public sealed class Utf8CheckedStream(Stream inner) : Stream
{
    private byte[] _pending = [];
    private int _line = 1;
    private bool _afterCr;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Check(buffer[..read], end: read == 0);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Check(buffer.Span[..read], end: read == 0);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Check(ReadOnlySpan<byte> chunk, bool end)
    {
        var data = _pending.Length == 0 ? chunk : [.. _pending, .. chunk];
        var complete = end ? data.Length : CompleteLength(data);
        var checkedBytes = data[..complete];
        if (!Utf8.IsValid(checkedBytes))
        {
            throw new InvalidUtf8Exception(LineOfFirstInvalidByte(checkedBytes));
        }

        CountLines(checkedBytes);
        _pending = data[complete..].ToArray();
    }

    /// <summary>The length up to a character whose bytes have not all arrived yet.</summary>
    private static int CompleteLength(ReadOnlySpan<byte> data)
    {
        for (var back = 1; back <= Math.Min(3, data.Length); back++)
        {
            var b = data[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue; // a continuation byte: look further back for its lead
            }

            var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? data.Length - back : data.Length;
        }

        return data.Length;
    }

    private void CountLines(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b == (byte)'\r' || (b == (byte)'\n' && !_afterCr))
            {
                _line++;
            }

            _afterCr = b == (byte)'\r';
        }
    }

    private int LineOfFirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (Rune.DecodeFromUtf8(bytes[at..], out _, out var consumed) == OperationStatus.Done)
        {
            at += consumed;
        }

        CountLines(bytes[..at]);
        return _line;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
