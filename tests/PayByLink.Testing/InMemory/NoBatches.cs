using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;

namespace PayByLink.Testing.InMemory;

/// <summary>
/// The batch ports, for use cases that need them only for batches (the schedule's batch expiry): batch files are
/// not held in memory, and their tests run on Azurite. Any call says so.
/// </summary>
public sealed class NoBatches : IBatchStore, IBatchLedger, IBatchUploads, IBatchProcessingQueue, IBatchFunnelStore
{
    private static NotSupportedException Refused() => new("Batches are not held in memory: the batch tests run on Azurite.");

    public Task AddAsync(Batch batch, CancellationToken cancellationToken) => throw Refused();
    public Task<Versioned<Batch>?> FindAsync(string merchantId, string batchId, CancellationToken cancellationToken) => throw Refused();
    public Task<Versioned<Batch>?> TryReplaceAsync(Versioned<Batch> current, Batch replacement, DomainEvent? change, CancellationToken cancellationToken) => throw Refused();
    public Task<(IReadOnlyList<Versioned<Batch>> Items, int TotalCount)> ListAsync(string merchantId, int page, int pageSize, CancellationToken cancellationToken) => throw Refused();
    public Task<Versioned<ChunkTally>> ReadTallyAsync(string merchantId, string batchId, int chunk, CancellationToken cancellationToken) => throw Refused();
    public Task<IReadOnlyList<ChunkTally>> ReadTalliesAsync(string merchantId, string batchId, int fromChunk, int toChunk, CancellationToken cancellationToken) => throw Refused();
    public Task<(Versioned<SettledChunks> Settled, int ChunksStarted, BatchSnapshot? Snapshot)> ReadProgressAsync(string merchantId, string batchId, CancellationToken cancellationToken) => throw Refused();
    public Task SaveSnapshotAsync(string merchantId, string batchId, BatchSnapshot snapshot, CancellationToken cancellationToken) => throw Refused();
    public Task RecordAsync(string merchantId, string batchId, int record, FunnelStep step, decimal amount, string currency, CancellationToken cancellationToken) => throw Refused();
    public Task<FunnelTally> ReadAsync(string merchantId, string batchId, CancellationToken cancellationToken) => throw Refused();
    public Task MarkChunkStartedAsync(string merchantId, string batchId, int chunk, CancellationToken cancellationToken) => throw Refused();
    public Task<bool> TrySaveSettledAsync(string merchantId, string batchId, Versioned<SettledChunks> current, SettledChunks next, CancellationToken cancellationToken) => throw Refused();
    public Task<Versioned<ChunkTally>?> TryWriteLinesAsync(string merchantId, string batchId, int chunk, Versioned<ChunkTally> current, ChunkTally next,
        IReadOnlyList<BatchLine> lines, IReadOnlyList<BatchLineOutcome> outcomes, CancellationToken cancellationToken) => throw Refused();
    public Task RecordOutcomeAsync(string merchantId, string batchId, BatchLineOutcome outcome, bool likelyCounted, CancellationToken cancellationToken) => throw Refused();
    /// <summary>Nothing to forget: no batch is held in memory (a request from a batch cannot be here either).</summary>
    public Task<int> ForgetLinesAsync(string merchantId, IReadOnlyList<BatchLineRef> lines, Func<string, bool> holdsPerson, CancellationToken cancellationToken) =>
        lines.Count == 0 ? Task.FromResult(0) : throw Refused();
    public Task<int> ForgetBatchAsync(string merchantId, string batchId, CancellationToken cancellationToken) => throw Refused();
    public IAsyncEnumerable<FailedBatchLine> ListFailedAsync(string merchantId, string batchId, CancellationToken cancellationToken) => throw Refused();
    public Task<Uri> CreateUploadUrlAsync(string blobName, DateTimeOffset expiresAt, CancellationToken cancellationToken) => throw Refused();
    public Task<(string Snapshot, long Size)?> SnapshotAsync(string blobName, CancellationToken cancellationToken) => throw Refused();
    public Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken) => throw Refused();
    public Task<Stream> OpenReadAsync(string blobName, string snapshot, long offset, CancellationToken cancellationToken) => throw Refused();
    public Task RetireAsync(string blobName, string? keepSnapshot, CancellationToken cancellationToken) => throw Refused();
    public Task EnqueueAsync(string merchantId, string batchId, TimeSpan delay, CancellationToken cancellationToken) => throw Refused();
}
