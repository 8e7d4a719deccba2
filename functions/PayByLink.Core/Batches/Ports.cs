using PayByLink.Core.Domain;
using PayByLink.Core.Events;

namespace PayByLink.Core.Batches;

public interface IBatchStore
{
    Task AddAsync(Batch batch, CancellationToken cancellationToken);

    Task<Versioned<Batch>?> FindAsync(string merchantId, string batchId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the batch if it is still at <paramref name="current"/>'s version, adding the change's event (when
    /// given) in the same transaction; the new version, or null when it moved on.
    /// </summary>
    Task<Versioned<Batch>?> TryReplaceAsync(Versioned<Batch> current, Batch replacement, DomainEvent? change, CancellationToken cancellationToken);

    /// <summary>One page of the merchant's batches, newest first, and how many there are.</summary>
    Task<(IReadOnlyList<Versioned<Batch>> Items, int TotalCount)> ListAsync(string merchantId, int page, int pageSize, CancellationToken cancellationToken);
}

/// <summary>
/// A batch's ledger: its lines, how each line's delivery ended, and the tallies that count them, per chunk of records,
/// with the record of which chunks are started and which settled.
/// </summary>
public interface IBatchLedger
{
    /// <summary>The chunk worker's tally of one chunk: its checkpoint and the counts written with its lines.</summary>
    Task<Versioned<ChunkTally>> ReadTallyAsync(string merchantId, string batchId, int chunk, CancellationToken cancellationToken);

    /// <summary>
    /// The tallies of chunks <paramref name="fromChunk"/> up to (not including) <paramref name="toChunk"/>, one per chunk:
    /// its worker's tally and its delivery tallies summed; none when <paramref name="toChunk"/> is not past <paramref name="fromChunk"/>.
    /// </summary>
    Task<IReadOnlyList<ChunkTally>> ReadTalliesAsync(string merchantId, string batchId, int fromChunk, int toChunk, CancellationToken cancellationToken);

    /// <summary>
    /// The leading chunks known to be settled, and their totals (none, at an empty version, before the first); and how
    /// many chunks can hold rows: every chunk below the highest a worker has started.
    /// </summary>
    Task<(Versioned<SettledChunks> Settled, int ChunksStarted)> ReadProgressAsync(string merchantId, string batchId, CancellationToken cancellationToken);

    /// <summary>Records that a worker starts on <paramref name="chunk"/>, before it writes anything there.</summary>
    Task MarkChunkStartedAsync(string merchantId, string batchId, int chunk, CancellationToken cancellationToken);

    /// <summary>Records more settled chunks if the record is still at <paramref name="current"/>'s version; false when it moved on.</summary>
    Task<bool> TrySaveSettledAsync(string merchantId, string batchId, Versioned<SettledChunks> current, SettledChunks next,
        CancellationToken cancellationToken);

    /// <summary>
    /// Writes lines (and the outcomes of lines already final) of one chunk with its new tally, all or nothing, if the
    /// tally is still at <paramref name="current"/>'s version. The tally's new version, or null when it moved on.
    /// </summary>
    Task<Versioned<ChunkTally>?> TryWriteLinesAsync(string merchantId, string batchId, int chunk, Versioned<ChunkTally> current, ChunkTally next,
        IReadOnlyList<BatchLine> lines, IReadOnlyList<BatchLineOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>
    /// Records how a line's delivery ended and counts it, once: a repeat changes nothing. When
    /// <paramref name="likelyCounted"/> (a change after the one that settled the line, such as a receipt), whether it
    /// was counted is read first: one read, where a count refused as a repeat costs three requests.
    /// </summary>
    Task RecordOutcomeAsync(string merchantId, string batchId, BatchLineOutcome outcome, bool likelyCounted, CancellationToken cancellationToken);

    /// <summary>Every failed line in file order: rejected lines and lines whose delivery failed.</summary>
    IAsyncEnumerable<FailedBatchLine> ListFailedAsync(string merchantId, string batchId, CancellationToken cancellationToken);
}

/// <summary>The upload container: one write-only URL per batch, and the file as it landed.</summary>
public interface IBatchUploads
{
    /// <summary>
    /// A URL that can create this one blob, once, until <paramref name="expiresAt"/>, and nothing else: storage
    /// refuses a second upload to it, since the blob exists from the first upload on (see <see cref="RetireAsync"/>).
    /// </summary>
    Task<Uri> CreateUploadUrlAsync(string blobName, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Freezes the blob as it is now: its snapshot id and size, or null when nothing was uploaded.</summary>
    Task<(string Snapshot, long Size)?> SnapshotAsync(string blobName, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>The snapshot's bytes from <paramref name="offset"/> on.</summary>
    Task<Stream> OpenReadAsync(string blobName, string snapshot, long offset, CancellationToken cancellationToken);

    /// <summary>
    /// Once a file has been checked and handed to the chunk workers: empties the blob, keeping its name taken so its
    /// upload URL can never write it again, and deletes its snapshots except <paramref name="keepSnapshot"/> (the one
    /// the workers read; null once every record is a line, when the lines keep what is needed). Safe to repeat;
    /// whatever was written to the name meanwhile is emptied unread.
    /// </summary>
    Task RetireAsync(string blobName, string? keepSnapshot, CancellationToken cancellationToken);

    /// <summary>Whether the blob is a retired file's empty stand-in, not an upload.</summary>
    static bool IsRetired(IDictionary<string, string> metadata) => metadata.ContainsKey(RetiredMetadata);

    const string RetiredMetadata = "retired";
}

/// <summary>The chunk workers' queue: each item is one chunk of a checked file.</summary>
public interface IBatchChunkQueue
{
    Task EnqueueAsync(IReadOnlyList<BatchChunkWork> work, CancellationToken cancellationToken);
}

/// <summary>Asks for a batch to be processed (the confirm call's way in; the blob trigger is the other).</summary>
public interface IBatchProcessingQueue
{
    /// <summary>Asks for the batch to be processed, now or after <paramref name="delay"/>.</summary>
    Task EnqueueAsync(string merchantId, string batchId, TimeSpan delay, CancellationToken cancellationToken);
}
