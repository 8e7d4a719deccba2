using PayByLink.Core.Domain;

namespace PayByLink.Core.Batches;

/// <summary>
/// A batch's failed lines under the file's own header: those its review found, while it awaits confirmation; then
/// those its ledger holds (the template's header for a file never read).
/// </summary>
public sealed class BatchFailures(IBatchLedger ledger, ReviewBatchFile review)
{
    public (IReadOnlyList<string> Header, IAsyncEnumerable<FailedBatchLine> Lines) Of(Merchant merchant, Batch batch, CancellationToken cancellationToken) =>
        batch is { Status: BatchStatus.AwaitingConfirmation, Checked: { } found }
            ? (found.Header, review.FailingLinesAsync(merchant, batch, cancellationToken))
            : (batch.Header ?? BatchFile.Columns, ledger.ListFailedAsync(batch.MerchantId, batch.BatchId, cancellationToken));
}
