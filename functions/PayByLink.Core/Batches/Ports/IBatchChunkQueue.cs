namespace PayByLink.Core.Batches;

/// <summary>The chunk workers' queue: each item is one chunk of a checked file.</summary>
public interface IBatchChunkQueue
{
    Task EnqueueAsync(IReadOnlyList<BatchChunkWork> work, CancellationToken cancellationToken);
}
