using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Adapters;

/// <summary>Data written before claims and status rows had tables of their own is moved when storage is next set up.</summary>
public sealed class LayoutMigrationTests : IAsyncLifetime
{
    private PrivateServices _private = null!;

    public async Task InitializeAsync() => _private = await PrivateServices.StartAsync("layout-merchant");

    public async Task DisposeAsync() => await _private.DisposeAsync();

    private ServiceProvider Services => _private.Services;

    [Fact]
    public async Task Claims_and_status_rows_in_their_old_tables_are_moved_so_a_repeat_create_is_still_the_same_request()
    {
        var storage = Services.GetRequiredService<StorageClients>();
        var creates = Services.GetRequiredService<CreatePaymentRequest>();
        var requests = Services.GetRequiredService<IPaymentRequestStore>();
        var created = (await creates.ExecuteAsync(_private.Merchant, Requests.Input("OLD-1"), Requests.Caller, CancellationToken.None)).Request!;

        // As the earlier layout kept them: the claim among the requests' rows, the status row among the other index rows.
        var claims = await MoveAllAsync(storage.Table(StorageNames.PaymentRequestClaimsTable), storage.Table(StorageNames.PaymentRequestsTable));
        var statusRows = await MoveAllAsync(storage.Table(StorageNames.PaymentRequestStatusTable), storage.Table(StorageNames.PaymentRequestIndexTable));
        claims.ShouldBe(1);
        statusRows.ShouldBe(1);
        (await requests.FindClaimAsync(_private.Merchant.Id, "OLD-1", CancellationToken.None)).ShouldBeNull("the store no longer looks there");

        await storage.EnsureCreatedAsync(CancellationToken.None);
        await storage.EnsureCreatedAsync(CancellationToken.None);

        (await requests.FindClaimAsync(_private.Merchant.Id, "OLD-1", CancellationToken.None))!.Request.RequestId.ShouldBe(created.RequestId);
        var repeat = await creates.ExecuteAsync(_private.Merchant, Requests.Input("OLD-1"), Requests.Caller, CancellationToken.None);
        repeat.Outcome.ShouldBe(CreateOutcome.AlreadyExists);
        repeat.Request!.RequestId.ShouldBe(created.RequestId);
        var pending = await requests.ListAsync(_private.Merchant.Id, new PaymentRequestFilter { Status = PaymentRequestStatus.Pending }, 25, null,
            CancellationToken.None);
        pending.Items.ShouldHaveSingleItem().RequestId.ShouldBe(created.RequestId);
        (await CountAsync(storage.Table(StorageNames.PaymentRequestsTable), "RowKey eq 'ref'")).ShouldBe(0);
        (await CountAsync(storage.Table(StorageNames.PaymentRequestIndexTable), null, row => row.PartitionKey.Contains("|status|"))).ShouldBe(0);
    }

    private static async Task<int> MoveAllAsync(TableClient from, TableClient to)
    {
        var moved = 0;
        await foreach (var row in from.QueryAsync<TableEntity>())
        {
            await to.UpsertEntityAsync(row, TableUpdateMode.Replace);
            await from.DeleteEntityAsync(row.PartitionKey, row.RowKey);
            moved++;
        }

        return moved;
    }

    private static async Task<int> CountAsync(TableClient table, string? filter, Func<TableEntity, bool>? where = null)
    {
        var count = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter))
        {
            count += where is null || where(row) ? 1 : 0;
        }

        return count;
    }
}
