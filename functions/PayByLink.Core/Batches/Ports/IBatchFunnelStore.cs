namespace PayByLink.Core.Batches;

/// <summary>The funnel's counts of each batch: a line is counted at a step once, however often its change is told.</summary>
public interface IBatchFunnelStore
{
    /// <summary>Counts the line at the step, once: a repeat changes nothing.</summary>
    Task RecordAsync(string merchantId, string batchId, int record, FunnelStep step, decimal amount, string currency, CancellationToken cancellationToken);

    Task<FunnelTally> ReadAsync(string merchantId, string batchId, CancellationToken cancellationToken);
}
