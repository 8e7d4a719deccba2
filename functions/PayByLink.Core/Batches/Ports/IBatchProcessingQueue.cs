namespace PayByLink.Core.Batches;

/// <summary>Asks for a batch to be processed (the confirm call's way in; the blob trigger is the other).</summary>
public interface IBatchProcessingQueue
{
    /// <summary>Asks for the batch to be processed, now or after <paramref name="delay"/>.</summary>
    Task EnqueueAsync(string merchantId, string batchId, TimeSpan delay, CancellationToken cancellationToken);
}
