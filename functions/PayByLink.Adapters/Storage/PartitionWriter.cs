using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Writes rows to a table with group commit: writes for the same partition that arrive while one is in flight
/// wait and then go together in one entity-group transaction (up to 100 rows), in the order they arrived. Each
/// caller's write is done, or has failed, when its task completes. Busy partitions (the current second's status
/// rows) then take one request for many writes instead of one each.
/// </summary>
/// <remarks>
/// A row to delete that is already gone is not an error. When a shared transaction is refused, each write in it is
/// made on its own, so one bad write fails only its caller; when storage is unavailable, every write in it fails
/// with that. A caller that stops waiting (its token cancelled) may still have its row written with the others.
/// </remarks>
public sealed class PartitionWriter(TableClient table)
{
    private const int MaxActions = 100;

    private readonly ConcurrentDictionary<string, PartitionQueue> _partitions = new();

    public Task WriteAsync(TableTransactionAction action, CancellationToken cancellationToken)
    {
        var write = new Write(action);
        var partitionKey = action.Entity.PartitionKey;
        while (true)
        {
            var queue = _partitions.GetOrAdd(partitionKey, _ => new PartitionQueue());
            lock (queue)
            {
                if (queue.Retired)
                {
                    continue;
                }

                queue.Waiting.Enqueue(write);
                if (!queue.Flushing)
                {
                    // The first writer to find the partition idle starts its flusher, which runs until the queue is empty.
                    queue.Flushing = true;
                    _ = CallDeadline.StartDetached(() => FlushAsync(partitionKey, queue));
                }
            }

            return CallDeadline.WaitAsync(write.Done.Task, cancellationToken);
        }
    }

    private async Task FlushAsync(string partitionKey, PartitionQueue queue)
    {
        while (true)
        {
            var batch = new List<Write>();
            lock (queue)
            {
                // A transaction may touch a row once: a second write to a row waits for the next transaction.
                var rows = new HashSet<string>(StringComparer.Ordinal);
                while (batch.Count < MaxActions && queue.Waiting.TryPeek(out var next) && rows.Add(next.Action.Entity.RowKey))
                {
                    batch.Add(queue.Waiting.Dequeue());
                }

                if (batch.Count == 0)
                {
                    queue.Flushing = false;
                    queue.Retired = true;
                    _partitions.TryRemove(new KeyValuePair<string, PartitionQueue>(partitionKey, queue));
                    return;
                }
            }

            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<Write> batch)
    {
        if (batch.Count > 1)
        {
            try
            {
                await table.SubmitTransactionAsync(batch.Select(w => w.Action));
                batch.ForEach(w => w.Done.TrySetResult());
                return;
            }
            catch (TableTransactionFailedException)
            {
                // One write refused the whole transaction, so nothing of it was written (a row to delete may be gone
                // already): each write is made on its own below.
            }
            catch (Exception e)
            {
                batch.ForEach(w => w.Done.TrySetException(e));
                return;
            }
        }

        await Task.WhenAll(batch.Select(async write =>
        {
            try
            {
                await CommitAloneAsync(write.Action);
                write.Done.TrySetResult();
            }
            catch (Exception e)
            {
                write.Done.TrySetException(e);
            }
        }));
    }

    private Task CommitAloneAsync(TableTransactionAction action) => action.ActionType switch
    {
        TableTransactionActionType.UpsertReplace => table.UpsertEntityAsync(action.Entity, TableUpdateMode.Replace),

        // Succeeds when the row is gone already.
        TableTransactionActionType.Delete => table.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All),
        _ => table.SubmitTransactionAsync([action]),
    };

    private sealed class PartitionQueue
    {
        public readonly Queue<Write> Waiting = new();

        public bool Flushing;

        /// <summary>Emptied and dropped from the map: a writer that still holds it takes a fresh one.</summary>
        public bool Retired;
    }

    private sealed class Write(TableTransactionAction action)
    {
        public TableTransactionAction Action { get; } = action;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
