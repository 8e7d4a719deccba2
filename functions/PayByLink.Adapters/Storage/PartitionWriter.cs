using System.Collections.Concurrent;
using System.Net;
using Azure;
using Azure.Data.Tables;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Writes rows to a table with group commit: writes for the same partition that arrive while one is in flight
/// wait and then go together in one entity-group transaction (up to 100 rows), in the order they arrived. Each
/// caller's write is done, or has failed, when its task completes. Busy partitions (a day's status rows) then
/// take one request for many writes instead of one each.
/// </summary>
/// <remarks>
/// A row to delete that is already gone is not an error. When a shared transaction fails, each write in it is
/// tried on its own, so one bad write fails only its caller.
/// </remarks>
public sealed class PartitionWriter(TableClient table)
{
    private const int MaxActions = 100;

    private readonly ConcurrentDictionary<string, PartitionQueue> _partitions = new();

    public Task WriteAsync(string partitionKey, IReadOnlyList<TableTransactionAction> actions)
    {
        var write = new Write(actions);
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
                    _ = Task.Run(() => FlushAsync(partitionKey, queue));
                }
            }

            return write.Done.Task;
        }
    }

    private async Task FlushAsync(string partitionKey, PartitionQueue queue)
    {
        while (true)
        {
            var batch = new List<Write>();
            lock (queue)
            {
                var rows = new HashSet<string>(StringComparer.Ordinal);
                var count = 0;

                // A transaction may touch a row once: a second write to a row waits for the next transaction.
                while (queue.Waiting.TryPeek(out var next) && (batch.Count == 0 || count + next.Actions.Count <= MaxActions) &&
                       next.Actions.All(a => !rows.Contains(a.Entity.RowKey)))
                {
                    batch.Add(queue.Waiting.Dequeue());
                    count += next.Actions.Count;
                    rows.UnionWith(next.Actions.Select(a => a.Entity.RowKey));
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
                await table.SubmitTransactionAsync(batch.SelectMany(w => w.Actions));
                batch.ForEach(w => w.Done.TrySetResult());
                return;
            }
            catch (Exception)
            {
                // Nothing of it was written: try each write on its own below.
            }
        }

        await Task.WhenAll(batch.Select(async write =>
        {
            try
            {
                await CommitAloneAsync(write.Actions);
                write.Done.TrySetResult();
            }
            catch (Exception e)
            {
                write.Done.TrySetException(e);
            }
        }));
    }

    private async Task CommitAloneAsync(IReadOnlyList<TableTransactionAction> actions)
    {
        switch (actions)
        {
            case [{ ActionType: TableTransactionActionType.UpsertReplace } upsert]:
                await table.UpsertEntityAsync(upsert.Entity, TableUpdateMode.Replace);
                return;
            case [{ ActionType: TableTransactionActionType.Delete } delete]:
                await table.DeleteEntityAsync(delete.Entity.PartitionKey, delete.Entity.RowKey, ETag.All);
                return;
        }

        try
        {
            await table.SubmitTransactionAsync(actions);
        }
        catch (TableTransactionFailedException e) when (e.Status == (int)HttpStatusCode.NotFound &&
                                                        actions.Any(a => a.ActionType == TableTransactionActionType.Delete))
        {
            // A row to delete was gone already (an earlier change stopped half way): write the rest.
            var rest = actions.Where(a => a.ActionType != TableTransactionActionType.Delete).ToList();
            if (rest.Count > 0)
            {
                await table.SubmitTransactionAsync(rest);
            }
        }
    }

    private sealed class PartitionQueue
    {
        public readonly Queue<Write> Waiting = new();

        public bool Flushing;

        /// <summary>Emptied and dropped from the map: a writer that still holds it takes a fresh one.</summary>
        public bool Retired;
    }

    private sealed class Write(IReadOnlyList<TableTransactionAction> actions)
    {
        public IReadOnlyList<TableTransactionAction> Actions { get; } = actions;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
