using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Core.Scheduling;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Adapters;

/// <summary>Requests stored before the email index and retention: found by email, and their erasure scheduled, once.</summary>
public sealed class RequestBackfillTests
{
    [Fact]
    public async Task A_request_stored_before_gets_its_email_row_and_one_that_ended_gets_its_erasure_scheduled_once()
    {
        await using var own = await PrivateServices.StartAsync("backfill-merchant");
        var services = own.Services;
        var creates = services.GetRequiredService<CreatePaymentRequest>();
        var open = (await creates.ExecuteAsync(own.Merchant, Requests.Input("BF-1"), Requests.Caller, CancellationToken.None)).Request!;
        var ended = (await creates.ExecuteAsync(own.Merchant, Requests.Input("BF-2"), Requests.Caller, CancellationToken.None)).Request!;
        await services.GetRequiredService<PaymentRequestChanges>().ExecuteAsync(own.Merchant.Id, ended.RequestId, PaymentRequestStatus.Cancelled,
            Requests.Caller, CancellationToken.None);

        // As stored before: no email index rows, and the ended request's events all gone from the schedule.
        var storage = services.GetRequiredService<StorageClients>();
        var index = storage.Table(StorageNames.PaymentRequestIndexTable);
        await foreach (var row in index.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"backfill-merchant|email|" + Uri.EscapeDataString("jane@example.com")}")))
        {
            await index.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All);
        }

        var schedule = services.GetRequiredService<IScheduleStore>();
        foreach (var due in (await schedule.DueAsync(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), CancellationToken.None))
                 .Where(e => e.RequestId == ended.RequestId))
        {
            await schedule.RemoveAsync(due, CancellationToken.None);
        }

        var store = services.GetRequiredService<IPaymentRequestStore>();
        var byEmail = new PaymentRequestFilter { Email = "jane@example.com" };
        (await store.ListAsync(own.Merchant.Id, byEmail, 10, null, CancellationToken.None)).Items.ShouldBeEmpty();

        var backfill = services.GetRequiredService<RequestBackfill>();
        (await backfill.RunAsync(CancellationToken.None)).ShouldBe(1, "the one that ended");
        (await backfill.RunAsync(CancellationToken.None)).ShouldBe(0, "done once");

        (await store.ListAsync(own.Merchant.Id, byEmail, 10, null, CancellationToken.None)).Items.Select(i => i.RequestId)
            .ShouldBe([open.RequestId, ended.RequestId], ignoreOrder: true);
        var cancelled = (await store.FindAsync(own.Merchant.Id, ended.RequestId, CancellationToken.None))!.Value;
        (await schedule.ContainsAsync(new ScheduledEvent(own.Merchant.Id, ended.RequestId, RunSchedule.RetentionPurpose, ScheduledAction.Erase,
            cancelled.UpdatedAt + Retention.Default.Requests), CancellationToken.None)).ShouldBeTrue();
    }
}
