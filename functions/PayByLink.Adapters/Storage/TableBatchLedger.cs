using PayByLink.Core.Ports;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Batches' ledgers in Table Storage, in <c>BatchLines</c>: one partition per chunk of records (<c>{merchant}|{batchId}|{chunk}</c>) holding the
/// chunk's tally (<c>tally</c>: the chunk worker's checkpoint and counts), a row per record (<c>L{record}</c>), a row
/// per delivery outcome (<c>O{record}</c>) and the delivery tallies (<c>tally-{shard}</c>). Lines and outcomes are
/// always written in one transaction with the tally they change, so the counts never drift from the rows, and an
/// outcome row that already exists makes a repeat count nothing. Senders spread their counts over
/// <see cref="OutcomeShards"/> tallies (by record), so many senders finishing lines of one chunk at once rarely
/// race for the same row. A partition per batch (<c>{merchant}|{batchId}</c>) holds <c>settled</c>: how many leading
/// chunks are settled and their summed tallies, so reading a batch queries only the chunks after them; and
/// <c>started</c>: one past the highest chunk a worker has started, so it queries none after that.
/// </summary>
public sealed class TableBatchLedger(StorageClients storage) : IBatchLedger
{
    private const string TallyRow = "tally";
    private const string SettledRow = "settled";
    private const string StartedRow = "started";
    private const string SnapshotRow = "snapshot";
    private const int OutcomeShards = 16;

    private readonly TableClient _lines = storage.Table(StorageNames.BatchLinesTable);

    public Task<Versioned<ChunkTally>> ReadTallyAsync(string merchantId, string batchId, int chunk, CancellationToken cancellationToken) =>
        ReadTallyRowAsync(ChunkPartition(merchantId, batchId, chunk), TallyRow, cancellationToken);

    private async Task<Versioned<ChunkTally>> ReadTallyRowAsync(string partition, string row, CancellationToken cancellationToken)
    {
        var response = await _lines.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
        return response.HasValue
            ? new Versioned<ChunkTally>(ReadTally(response.Value!), response.Value!.ETag.ToString())
            : new Versioned<ChunkTally>(ChunkTally.Empty, "");
    }

    public async Task<IReadOnlyList<ChunkTally>> ReadTalliesAsync(string merchantId, string batchId, int fromChunk, int toChunk,
        CancellationToken cancellationToken)
    {
        var tallies = new List<ChunkTally>();
        foreach (var slice in Enumerable.Range(fromChunk, Math.Max(0, toChunk - fromChunk)).Chunk(32))
        {
            tallies.AddRange(await Task.WhenAll(slice.Select(c => ReadChunkTallyAsync(ChunkPartition(merchantId, batchId, c), cancellationToken))));
        }

        return tallies;
    }

    public async Task<(Versioned<SettledChunks> Settled, int ChunksStarted, BatchSnapshot? Snapshot)> ReadProgressAsync(string merchantId, string batchId,
        CancellationToken cancellationToken)
    {
        var settled = new Versioned<SettledChunks>(SettledChunks.None, "");
        var started = 0;
        BatchSnapshot? snapshot = null;
        await foreach (var row in _lines.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {SettledPartition(merchantId, batchId)}"),
                           cancellationToken: cancellationToken))
        {
            if (row.RowKey == SettledRow)
            {
                settled = new Versioned<SettledChunks>(new SettledChunks(row.GetInt32("Chunks") ?? 0, ReadTally(row)), row.ETag.ToString());
            }
            else if (row.RowKey == StartedRow)
            {
                started = row.GetInt32("Chunks") ?? 0;
            }
            else if (row.RowKey == SnapshotRow)
            {
                snapshot = JsonSerializer.Deserialize<BatchSnapshot>(row.GetString("Document"), StoredJson.Options);
            }
        }

        return (settled, started, snapshot);
    }

    public Task SaveSnapshotAsync(string merchantId, string batchId, BatchSnapshot snapshot, CancellationToken cancellationToken) =>
        _lines.UpsertEntityAsync(new TableEntity(SettledPartition(merchantId, batchId), SnapshotRow)
        {
            ["Document"] = JsonSerializer.Serialize(snapshot, StoredJson.Options),
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task MarkChunkStartedAsync(string merchantId, string batchId, int chunk, CancellationToken cancellationToken)
    {
        var partition = SettledPartition(merchantId, batchId);
        await ConditionalWrite.RetryAsync($"The started chunks of batch {batchId}", async _ =>
        {
            var found = await _lines.GetEntityIfExistsAsync<TableEntity>(partition, StartedRow, cancellationToken: cancellationToken);
            if (found.HasValue && found.Value!.GetInt32("Chunks") > chunk)
            {
                return WriteAttempt.Done(true);
            }

            try
            {
                var entity = new TableEntity(partition, StartedRow) { ["Chunks"] = chunk + 1 };
                await _lines.SubmitTransactionAsync([AddOrReplace(entity, found.HasValue ? found.Value!.ETag.ToString() : "")], cancellationToken);
                return WriteAttempt.Done(true);
            }
            catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
            {
                return WriteAttempt<bool>.Conflict; // another worker started a chunk meanwhile: look again
            }
        });
    }

    public async Task<bool> TrySaveSettledAsync(string merchantId, string batchId, Versioned<SettledChunks> current, SettledChunks next,
        CancellationToken cancellationToken)
    {
        var entity = TallyEntity(SettledPartition(merchantId, batchId), SettledRow, next.Totals);
        entity["Chunks"] = next.Chunks;
        try
        {
            await _lines.SubmitTransactionAsync([AddOrReplace(entity, current.Version)], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>The chunk's tally and its delivery tallies (the rows from <c>tally</c> to <c>tally~</c>), summed.</summary>
    private async Task<ChunkTally> ReadChunkTallyAsync(string partition, CancellationToken cancellationToken)
    {
        var sum = ChunkTally.Empty;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {TallyRow} and RowKey lt {TallyRow + "~"}");
        await foreach (var row in _lines.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            sum = sum.Plus(ReadTally(row));
        }

        return sum;
    }

    public async Task<Versioned<ChunkTally>?> TryWriteLinesAsync(string merchantId, string batchId, int chunk, Versioned<ChunkTally> current,
        ChunkTally next, IReadOnlyList<BatchLine> lines, IReadOnlyList<BatchLineOutcome> outcomes, CancellationToken cancellationToken)
    {
        var partition = ChunkPartition(merchantId, batchId, chunk);
        var actions = new List<TableTransactionAction>(lines.Count + outcomes.Count + 1) { TallyAction(partition, TallyRow, current, next) };
        actions.AddRange(lines.Select(l => new TableTransactionAction(TableTransactionActionType.UpsertReplace, LineEntity(partition, l))));
        actions.AddRange(outcomes.Select(o => new TableTransactionAction(TableTransactionActionType.UpsertReplace, OutcomeEntity(partition, o))));
        try
        {
            var response = await _lines.SubmitTransactionAsync(actions, cancellationToken);
            return new Versioned<ChunkTally>(next, response.Value[0].Headers.ETag!.Value.ToString());
        }
        catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict or (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task RecordOutcomeAsync(string merchantId, string batchId, BatchLineOutcome outcome, bool likelyCounted,
        CancellationToken cancellationToken)
    {
        var partition = ChunkPartition(merchantId, batchId, outcome.Record / Batch.RecordsPerChunk);
        var shard = $"{TallyRow}-{outcome.Record % OutcomeShards:D2}";
        if (likelyCounted && await IsCountedAsync(partition, outcome.Record, cancellationToken))
        {
            return;
        }

        // Another sender may count in the same shard meanwhile: then count again (16 shards keep contention low; past the
        // bound the send is settled again later and counted then).
        await ConditionalWrite.RetryAsync($"The outcome of record {outcome.Record} of batch {batchId}", async _ =>
        {
            var tally = await ReadTallyRowAsync(partition, shard, cancellationToken);
            var next = tally.Value with
            {
                Sent = tally.Value.Sent + (outcome.Sent ? 1 : 0),
                DeliveryFailed = tally.Value.DeliveryFailed + (outcome.Sent ? 0 : 1),
            };
            try
            {
                await _lines.SubmitTransactionAsync(
                [
                    TallyAction(partition, shard, tally, next),
                    new TableTransactionAction(TableTransactionActionType.Add, OutcomeEntity(partition, outcome)),
                ], cancellationToken);
                return WriteAttempt.Done(true);
            }
            catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict or (int)HttpStatusCode.NotFound)
            {
                return await IsCountedAsync(partition, outcome.Record, cancellationToken) ? WriteAttempt.Done(true) : WriteAttempt<bool>.Conflict;
            }
        });
    }

    private async Task<bool> IsCountedAsync(string partition, int record, CancellationToken cancellationToken) =>
        (await _lines.GetEntityIfExistsAsync<TableEntity>(partition, OutcomeRow(record), ["RowKey"], cancellationToken)).HasValue;

    public async IAsyncEnumerable<FailedBatchLine> ListFailedAsync(string merchantId, string batchId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Rows come partition by partition; within a chunk, rejected lines and failed outcomes are merged into file order.
        var prefix = ChunkPrefix(merchantId, batchId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {prefix + "~"} and Failed eq true");
        var chunk = new List<TableEntity>();
        string? partition = null;
        await foreach (var row in _lines.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (partition is not null && row.PartitionKey != partition)
            {
                foreach (var failed in await ReadChunkFailuresAsync(chunk, cancellationToken))
                {
                    yield return failed;
                }

                chunk.Clear();
            }

            partition = row.PartitionKey;
            chunk.Add(row);
        }

        foreach (var failed in await ReadChunkFailuresAsync(chunk, cancellationToken))
        {
            yield return failed;
        }
    }

    public async Task<int> ForgetLinesAsync(string merchantId, IReadOnlyList<BatchLineRef> lines, Func<string, bool> holdsPerson,
        CancellationToken cancellationToken)
    {
        var forgotten = 0;
        foreach (var line in lines)
        {
            var row = await _lines.GetEntityIfExistsAsync<TableEntity>(ChunkPartition(merchantId, line.BatchId, line.Record / Batch.RecordsPerChunk),
                LineRow(line.Record), ["PartitionKey", "RowKey", "Raw"], cancellationToken);
            if (row.HasValue && !string.IsNullOrEmpty(row.Value!.GetString("Raw")))
            {
                forgotten += await ForgetRawAsync(row.Value, cancellationToken);
            }
        }

        var prefix = merchantId + "|";
        var rejected = TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {prefix + "~"} and Failed eq true and RowKey lt {"M"}");
        await foreach (var row in _lines.QueryAsync<TableEntity>(rejected, select: ["PartitionKey", "RowKey", "Raw"], cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith('L') && row.GetString("Raw") is { Length: > 0 } raw && holdsPerson(raw))
            {
                forgotten += await ForgetRawAsync(row, cancellationToken);
            }
        }

        return forgotten;
    }

    public async Task<int> ForgetBatchAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        var prefix = ChunkPrefix(merchantId, batchId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {prefix + "~"} and RowKey ge {"L"} and RowKey lt {"M"}");
        var forgotten = 0;
        await foreach (var row in _lines.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "Raw"], cancellationToken: cancellationToken))
        {
            if (!string.IsNullOrEmpty(row.GetString("Raw")))
            {
                forgotten += await ForgetRawAsync(row, cancellationToken);
            }
        }

        return forgotten;
    }

    private async Task<int> ForgetRawAsync(TableEntity row, CancellationToken cancellationToken)
    {
        await _lines.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { ["Raw"] = "" }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        return 1;
    }

    private async Task<IEnumerable<FailedBatchLine>> ReadChunkFailuresAsync(List<TableEntity> rows, CancellationToken cancellationToken)
    {
        var failures = new List<(int Record, FailedBatchLine Line)>(rows.Count);
        foreach (var row in rows)
        {
            var errors = ReadErrors(row);
            if (row.RowKey.StartsWith('L'))
            {
                failures.Add((row.GetInt32("Record")!.Value, new FailedBatchLine(row.GetInt32("Line")!.Value, row.GetString("Raw"), errors)));
                continue;
            }

            // A failed delivery: the record as uploaded is on its line row.
            var record = row.GetInt32("Record")!.Value;
            var line = await _lines.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, LineRow(record), ["Line", "Raw"], cancellationToken);
            if (line.HasValue)
            {
                failures.Add((record, new FailedBatchLine(line.Value!.GetInt32("Line")!.Value, line.Value.GetString("Raw"), errors)));
            }
        }

        return failures.OrderBy(f => f.Record).Select(f => f.Line);
    }

    private static TableTransactionAction TallyAction(string partition, string row, Versioned<ChunkTally> current, ChunkTally next) =>
        AddOrReplace(TallyEntity(partition, row, next), current.Version);

    private static TableEntity TallyEntity(string partition, string row, ChunkTally tally) => new(partition, row)
    {
        ["NextRecord"] = tally.NextRecord,
        ["Accepted"] = tally.Accepted,
        ["Rejected"] = tally.Rejected,
        ["Sent"] = tally.Sent,
        ["DeliveryFailed"] = tally.DeliveryFailed,
    };

    /// <summary>Adds the row when there was none (empty version), else replaces it if it is still at that version.</summary>
    private static TableTransactionAction AddOrReplace(TableEntity entity, string version) =>
        version.Length == 0
            ? new TableTransactionAction(TableTransactionActionType.Add, entity)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(version));

    private static ChunkTally ReadTally(TableEntity e) =>
        new(e.GetInt32("NextRecord") ?? 0, e.GetInt32("Accepted") ?? 0, e.GetInt32("Rejected") ?? 0, e.GetInt32("Sent") ?? 0,
            e.GetInt32("DeliveryFailed") ?? 0);

    private static TableEntity LineEntity(string partition, BatchLine line) => new(partition, LineRow(line.Record))
    {
        ["Record"] = line.Record,
        ["Line"] = line.Line,
        ["State"] = line.State.ToString(),
        ["RequestId"] = line.RequestId,
        ["Raw"] = line.Raw,
        ["Errors"] = JsonSerializer.Serialize(line.Errors, StoredJson.Options),
        ["Failed"] = line.State == BatchLineState.Rejected,
    };

    private static TableEntity OutcomeEntity(string partition, BatchLineOutcome outcome) => new(partition, OutcomeRow(outcome.Record))
    {
        ["Record"] = outcome.Record,
        ["Sent"] = outcome.Sent,
        ["Errors"] = JsonSerializer.Serialize(outcome.Errors, StoredJson.Options),
        ["Failed"] = !outcome.Sent,
    };

    private static IReadOnlyList<FieldError> ReadErrors(TableEntity row) =>
        JsonSerializer.Deserialize<FieldError[]>(row.GetString("Errors") ?? "[]", StoredJson.Options) ?? [];

    private static string ChunkPrefix(string merchantId, string batchId) => $"{merchantId}|{batchId}|";

    /// <summary>The batch's settled-chunks record: a partition of its own, outside its chunks' key range.</summary>
    private static string SettledPartition(string merchantId, string batchId) => $"{merchantId}|{batchId}";

    private static string ChunkPartition(string merchantId, string batchId, int chunk) =>
        ChunkPrefix(merchantId, batchId) + chunk.ToString("D4", CultureInfo.InvariantCulture);

    private static string LineRow(int record) => "L" + record.ToString("D7", CultureInfo.InvariantCulture);

    private static string OutcomeRow(int record) => "O" + record.ToString("D7", CultureInfo.InvariantCulture);
}
