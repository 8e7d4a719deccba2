using System.Net;
using Azure.Data.Tables;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// A tally row that counts each thing once: the tally's new value and a marker row for the thing counted are written in
/// one transaction of their partition, the tally at the version read. A marker already there means it was counted;
/// a tally changed meanwhile is read again and the count tried again.
/// </summary>
internal static class MarkedTally
{
    public static Task AddOnceAsync(TableClient table, string partition, string tallyRow, string marker, Func<TableEntity?, TableEntity> next,
        string what, CancellationToken cancellationToken) =>
        ConditionalWrite.RetryAsync(what, async _ =>
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, tallyRow, cancellationToken: cancellationToken);
            var tally = next(found.HasValue ? found.Value : null);
            try
            {
                await table.SubmitTransactionAsync(
                [
                    found.HasValue
                        ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, tally, found.Value!.ETag)
                        : new TableTransactionAction(TableTransactionActionType.Add, tally),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, marker)),
                ], cancellationToken);
                return WriteAttempt.Done(true);
            }
            catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
            {
                // Counted before, or another count came first: then count again.
                return (await table.GetEntityIfExistsAsync<TableEntity>(partition, marker, ["RowKey"], cancellationToken)).HasValue
                    ? WriteAttempt.Done(true)
                    : WriteAttempt<bool>.Conflict;
            }
        });
}
