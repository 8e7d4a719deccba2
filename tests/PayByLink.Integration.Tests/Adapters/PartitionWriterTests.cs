using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using PayByLink.Adapters.Storage;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Adapters;

[Collection(SuiteCollection.Name)]
public class PartitionWriterTests(SuiteFixture suite)
{
    private static TableTransactionAction Upsert(string partition, string row) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, row) { ["Value"] = row });

    private static TableTransactionAction Delete(string partition, string row) =>
        new(TableTransactionActionType.Delete, new TableEntity(partition, row), ETag.All);

    /// <summary>A writer on a new table, with a count of the requests made to it.</summary>
    private async Task<(TableClient Table, PartitionWriter Writer, RequestCounter Requests)> NewWriterAsync()
    {
        var requests = new RequestCounter();
        var options = new TableClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var table = new TableClient(suite.Azurite.ConnectionString, "writer" + Guid.NewGuid().ToString("N")[..12], options);
        await table.CreateAsync();
        requests.Reset();
        return (table, new PartitionWriter(table), requests);
    }

    private static async Task<List<string>> RowsAsync(TableClient table, string partition) =>
        await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}")).Select(e => e.RowKey).ToListAsync();

    [Fact]
    public async Task Concurrent_writes_to_one_partition_all_land_in_fewer_requests_than_writes()
    {
        var (table, writer, requests) = await NewWriterAsync();

        await Task.WhenAll(Enumerable.Range(0, 150).Select(i => writer.WriteAsync(Upsert("busy", $"r{i:D3}"), CancellationToken.None)));

        (await RowsAsync(table, "busy")).ShouldBe(Enumerable.Range(0, 150).Select(i => $"r{i:D3}").ToList());
        requests.Count.ShouldBeLessThan(150);
    }

    [Fact]
    public async Task Writes_to_the_same_row_apply_in_the_order_they_were_made()
    {
        var (table, writer, _) = await NewWriterAsync();

        // Queued together behind a write in flight: the delete must not overtake the upsert of the same row.
        await Task.WhenAll(
            writer.WriteAsync(Upsert("p", "first"), CancellationToken.None),
            writer.WriteAsync(Upsert("p", "row"), CancellationToken.None),
            writer.WriteAsync(Delete("p", "row"), CancellationToken.None),
            writer.WriteAsync(Upsert("p", "last"), CancellationToken.None));

        (await RowsAsync(table, "p")).ShouldBe(["first", "last"]);
    }

    [Fact]
    public async Task A_row_to_delete_that_is_gone_already_fails_nothing()
    {
        var (table, writer, _) = await NewWriterAsync();

        await Task.WhenAll(
            writer.WriteAsync(Upsert("p", "a"), CancellationToken.None),
            writer.WriteAsync(Delete("p", "never-written"), CancellationToken.None),
            writer.WriteAsync(Upsert("p", "b"), CancellationToken.None),
            writer.WriteAsync(Delete("p", "also-missing"), CancellationToken.None));

        (await RowsAsync(table, "p")).ShouldBe(["a", "b"]);
    }

    [Fact]
    public async Task A_bad_write_fails_its_caller_only()
    {
        var (table, writer, _) = await NewWriterAsync();
        var bad = new TableTransactionAction(TableTransactionActionType.UpdateReplace, new TableEntity("p", "missing"), ETag.All);

        var writes = new[]
        {
            writer.WriteAsync(Upsert("p", "a"), CancellationToken.None),
            writer.WriteAsync(bad, CancellationToken.None),
            writer.WriteAsync(Upsert("p", "b"), CancellationToken.None),
        };

        await Should.ThrowAsync<RequestFailedException>(() => writes[1]);
        await writes[0];
        await writes[2];
        (await RowsAsync(table, "p")).ShouldBe(["a", "b"]);
    }

    private sealed class RequestCounter : HttpPipelinePolicy
    {
        private int _count;

        public int Count => _count;

        public void Reset() => _count = 0;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Interlocked.Increment(ref _count);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Interlocked.Increment(ref _count);
            return ProcessNextAsync(message, pipeline);
        }
    }
}
