using PayByLink.Core.Domain;

namespace PayByLink.Core.Batches;

public enum BatchStatus
{
    AwaitingUpload,
    Uploaded,
    Processing,
    Completed,
    CompletedWithErrors,

    /// <summary>The file could not be read at all: not UTF-8, not CSV, no header, no records, or over the limits.</summary>
    Failed,

    /// <summary>Nothing was uploaded before the upload URL expired.</summary>
    Expired,
}

/// <summary>
/// A batch file of one merchant and how far its processing has gone. Records are numbered from 0 in file order
/// (the header and blank lines are not records) and kept in chunks of <see cref="RecordsPerChunk"/>.
/// </summary>
public sealed record Batch(
    string MerchantId,
    string BatchId,
    string FileName,
    BatchStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UploadUrlExpiresAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Records per chunk: the unit of work a chunk worker takes from the queue, and of the counts kept.</summary>
    public const int RecordsPerChunk = 500;

    /// <summary>The blob the merchant uploads to: one per batch, named by merchant so the trigger knows whose it is.</summary>
    public string BlobName => UploadBlobName(MerchantId, BatchId);

    /// <summary>The snapshot of the upload being processed, so a second upload to the same URL changes nothing.</summary>
    public string? Snapshot { get; init; }

    public IReadOnlyList<string>? Header { get; init; }

    public int TotalRecords { get; init; }

    /// <summary>The file was checked and every chunk of it queued for the chunk workers.</summary>
    public bool Dispatched { get; init; }

    /// <summary>Every record has been read and written as a line (the upload's snapshot is deleted then); what remains is delivery.</summary>
    public bool Read { get; init; }

    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>How many records the batch's watch last found unread, and since when that number has stood.</summary>
    public int? UnreadAtWatch { get; init; }

    public DateTimeOffset? UnreadSince { get; init; }

    public string? FailureReason { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The counts when the batch finished; they no longer change.</summary>
    public BatchCounts? FinalCounts { get; init; }

    /// <summary>How many events the batch has: the sequence number of its latest.</summary>
    public int EventCount { get; init; }

    public int ChunkCount => (TotalRecords + RecordsPerChunk - 1) / RecordsPerChunk;

    public int ChunkSize(int chunk) => Math.Min(RecordsPerChunk, TotalRecords - chunk * RecordsPerChunk);

    public bool IsFinished => Status is BatchStatus.Completed or BatchStatus.CompletedWithErrors or BatchStatus.Failed or BatchStatus.Expired;

    public static string UploadBlobName(string merchantId, string batchId) => $"{merchantId}/{batchId}.csv";

    public static bool TryParseBlobName(string blobName, out string merchantId, out string batchId)
    {
        var parts = blobName.Split('/');
        var valid = parts.Length == 2 && Merchant.IsValidId(parts[0]) && parts[1].EndsWith(".csv", StringComparison.Ordinal) && parts[1].Length > 4;
        merchantId = valid ? parts[0] : "";
        batchId = valid ? parts[1][..^4] : "";
        return valid;
    }
}

/// <summary>
/// Where the lines of a batch stand. Every record is in exactly one of: <c>pending</c> (not read yet),
/// <c>accepted</c> (a payment request waiting for its first delivery), <c>sent</c>, or <c>failed</c> (rejected, or
/// no channel could deliver it), so the four add up to <c>totalRecords</c>.
/// </summary>
public sealed record BatchCounts(int TotalRecords, int Accepted, int Sent, int Failed, int Pending)
{
    public static BatchCounts From(int totalRecords, IEnumerable<ChunkTally> tallies)
    {
        int accepted = 0, rejected = 0, sent = 0, deliveryFailed = 0;
        foreach (var t in tallies)
        {
            accepted += t.Accepted;
            rejected += t.Rejected;
            sent += t.Sent;
            deliveryFailed += t.DeliveryFailed;
        }

        // A sender can record a line's delivery before its chunk worker records the line: such a line counts as
        // delivered and is no longer pending.
        var awaiting = Math.Max(0, accepted - sent - deliveryFailed);
        var failed = rejected + deliveryFailed;
        return new BatchCounts(totalRecords, awaiting, sent, failed, Math.Max(0, totalRecords - awaiting - sent - failed));
    }
}

/// <summary>The running totals of one chunk, written in the same transaction as the lines and outcomes they count.</summary>
public sealed record ChunkTally(int NextRecord, int Accepted, int Rejected, int Sent, int DeliveryFailed)
{
    public static readonly ChunkTally Empty = new(0, 0, 0, 0, 0);

    public ChunkTally Plus(ChunkTally other) => new(NextRecord + other.NextRecord, Accepted + other.Accepted, Rejected + other.Rejected,
        Sent + other.Sent, DeliveryFailed + other.DeliveryFailed);

    /// <summary>
    /// Whether a chunk of <paramref name="size"/> records with this (summed) tally is settled: every record is a line
    /// and every accepted line's delivery has ended, so its counts never change again.
    /// </summary>
    public bool IsSettled(int size) => NextRecord >= size && Sent + DeliveryFailed >= Accepted;
}

/// <summary>
/// The leading <see cref="Chunks"/> chunks of a batch, all settled, and their summed tallies: a batch's counts are
/// these plus the tallies of the chunks after them, so reading a batch reads only the chunks still moving.
/// </summary>
public sealed record SettledChunks(int Chunks, ChunkTally Totals)
{
    public static readonly SettledChunks None = new(0, ChunkTally.Empty);
}

/// <summary>
/// One chunk of a batch file for a chunk worker: where its first record starts in the file (byte offset and
/// physical line), so the worker reads only its own part.
/// </summary>
public sealed record BatchChunkWork(string MerchantId, string BatchId, int Chunk, long Offset, int Line);

public enum BatchLineState
{
    /// <summary>Became a payment request (or matched an identical earlier one).</summary>
    Accepted,

    /// <summary>Failed validation or idempotency: no request was made.</summary>
    Rejected,
}

/// <summary>One record of a batch file as processed: the record as uploaded and what became of it.</summary>
public sealed record BatchLine(int Record, int Line, BatchLineState State, string? RequestId, string Raw, IReadOnlyList<FieldError> Errors);

/// <summary>How the first delivery of a line's request ended.</summary>
public sealed record BatchLineOutcome(int Record, bool Sent, IReadOnlyList<FieldError> Errors);

/// <summary>A line that failed, with the record as uploaded and every reason.</summary>
public sealed record FailedBatchLine(int Line, string Raw, IReadOnlyList<FieldError> Errors);

