using PayByLink.Core.Domain;

namespace PayByLink.Core.Batches;

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
    /// The leading chunks known to be settled, and their totals (none, at an empty version, before the first); how
    /// many chunks can hold rows: every chunk below the highest a worker has started; and the last snapshot. One request.
    /// </summary>
    Task<(Versioned<SettledChunks> Settled, int ChunksStarted, BatchSnapshot? Snapshot)> ReadProgressAsync(string merchantId, string batchId,
        CancellationToken cancellationToken);

    /// <summary>Keeps the batch's counts and funnel as just found, for its page's live refresh (read by <see cref="ReadProgressAsync"/>).</summary>
    Task SaveSnapshotAsync(string merchantId, string batchId, BatchSnapshot snapshot, CancellationToken cancellationToken);

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

    /// <summary>
    /// Forgets the records as uploaded of the merchant's lines that hold a person's data: the lines that made
    /// <paramref name="lines"/>, and the rejected lines whose record <paramref name="holdsPerson"/> says holds it. The
    /// number of lines forgotten; a line forgotten before is not counted again.
    /// </summary>
    Task<int> ForgetLinesAsync(string merchantId, IReadOnlyList<BatchLineRef> lines, Func<string, bool> holdsPerson, CancellationToken cancellationToken);

    /// <summary>Forgets the records as uploaded of every line of the batch (its failed records keep their line numbers and reasons); the number forgotten.</summary>
    Task<int> ForgetBatchAsync(string merchantId, string batchId, CancellationToken cancellationToken);
}
