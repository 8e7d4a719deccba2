using PayByLink.Core.Domain;

namespace PayByLink.Core.Batches;

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

    /// <summary>Started for review: once checked, the batch waits at <see cref="BatchStatus.AwaitingConfirmation"/> and sends nothing until confirmed.</summary>
    public bool Review { get; init; }

    /// <summary>What the file will do if confirmed, for a batch started for review.</summary>
    public BatchReview? Checked { get; init; }

    /// <summary>Its review was confirmed: the next processor sends it.</summary>
    public bool Confirmed { get; init; }

    /// <summary>When sending was stopped, and by whom: lines not yet made are not made, requests not yet sent are cancelled.</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    public Events.Actor? StoppedBy { get; init; }

    /// <summary>For a stopped batch, once finished: its lines cancelled by the stop (never made, or their request cancelled before it was sent).</summary>
    public int? CancelledLines { get; init; }

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

    public bool IsFinished => Status is BatchStatus.Completed or BatchStatus.CompletedWithErrors or BatchStatus.Failed or BatchStatus.Expired or BatchStatus.Cancelled;

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
