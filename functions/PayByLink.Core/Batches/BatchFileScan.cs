namespace PayByLink.Core.Batches;

/// <summary>
/// One pass over a batch file's frozen snapshot: whether it can be read at all (UTF-8, a header, the limits), how many
/// records it holds, and where each chunk of <see cref="Batch.RecordsPerChunk"/> records starts, so that chunks are
/// read from their own offset by any number of workers.
/// </summary>
public sealed record BatchFileScan(BatchHeader? Header, int Total, IReadOnlyList<(long Offset, int Line)> ChunkStarts, string? Error)
{
    /// <summary>The first messages the file's records ask for, by channel (<see cref="BatchFile.Messages"/>).</summary>
    public IReadOnlyDictionary<Domain.Channel, long> Messages { get; init; } = new Dictionary<Domain.Channel, long>();

    public static async Task<BatchFileScan> ReadAsync(IBatchUploads uploads, Batch batch, CancellationToken cancellationToken)
    {
        await using var stream = await uploads.OpenReadAsync(batch.BlobName, batch.Snapshot!, 0, cancellationToken);
        var reader = new CsvRecordReader(BatchFile.OpenText(stream));
        try
        {
            var (header, error) = BatchFile.ReadHeader(await reader.ReadAsync(cancellationToken));
            if (header is null)
            {
                return Unreadable(error!);
            }

            reader.ExpectedFields = header.Names.Count;

            var total = 0;
            var (sms, emails) = (0L, 0L);
            var starts = new List<(long Offset, int Line)>();
            while (true)
            {
                var (offset, line) = (reader.BytePosition, reader.Line);
                if (await reader.ReadAsync(cancellationToken) is not { } record)
                {
                    break;
                }

                var messages = BatchFile.Messages(header, record);
                sms += messages.Sms ? 1 : 0;
                emails += messages.Email ? 1 : 0;

                if (total % Batch.RecordsPerChunk == 0)
                {
                    starts.Add((offset, line));
                }

                if (++total > BatchFile.MaxRecords)
                {
                    return Unreadable($"The file has more than {BatchFile.MaxRecords:N0} records.");
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            return total == 0
                ? Unreadable("The file has a header but no records.")
                : new BatchFileScan(header, total, starts, null)
                {
                    Messages = new Dictionary<Domain.Channel, long> { [Domain.Channel.Sms] = sms, [Domain.Channel.Email] = emails },
                };
        }
        catch (InvalidUtf8Exception e)
        {
            return Unreadable(e.Message);
        }
    }

    /// <summary>A work item for each chunk, for the chunk workers' queue.</summary>
    public IReadOnlyList<BatchChunkWork> Work(Batch batch) =>
        ChunkStarts.Select((start, chunk) => new BatchChunkWork(batch.MerchantId, batch.BatchId, chunk, start.Offset, start.Line)).ToList();

    private static BatchFileScan Unreadable(string error) => new(null, 0, [], error);
}
