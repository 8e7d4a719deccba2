using PayByLink.Core.Scheduling;
using PayByLink.Core.Webhooks;

namespace PayByLink.Testing.Contracts;

/// <summary>What the core relies on of the schedule store: events found by the hour they fall due, removed once, and a checkpoint.</summary>
public abstract class ScheduleStoreContract
{
    protected abstract IScheduleStore Store();

    /// <summary>A due time of its own for each test: the schedule is one store for every merchant.</summary>
    private static DateTimeOffset NewHour() =>
        new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(Random.Shared.Next(1, 24 * 365 * 20));

    [Fact]
    public async Task Events_are_due_from_their_hour_until_removed()
    {
        var store = Store();
        var hour = NewHour();
        var merchantId = "contract-" + Guid.NewGuid().ToString("N")[..12];
        var early = new ScheduledEvent(merchantId, "pr_1", "reminder-1", ScheduledAction.Send, hour.AddMinutes(5));
        var late = new ScheduledEvent(merchantId, "pr_2", "expire", ScheduledAction.Expire, hour.AddMinutes(50));
        await store.AddAsync(early, CancellationToken.None);
        await store.AddAsync(late, CancellationToken.None);
        await store.AddAsync(early, CancellationToken.None);

        (await store.DueAsync(hour, hour.AddMinutes(10), CancellationToken.None)).Where(e => e.MerchantId == merchantId).ShouldBe([early]);
        (await store.DueAsync(hour, hour.AddHours(1), CancellationToken.None)).Where(e => e.MerchantId == merchantId).ShouldBe([early, late], ignoreOrder: true);
        (await store.ContainsAsync(late, CancellationToken.None)).ShouldBeTrue();

        await store.RemoveAsync(early, CancellationToken.None);
        await store.RemoveAsync(early, CancellationToken.None);

        (await store.ContainsAsync(early, CancellationToken.None)).ShouldBeFalse();
        (await store.DueAsync(hour, hour.AddHours(1), CancellationToken.None)).Where(e => e.MerchantId == merchantId).ShouldBe([late]);
        await store.RemoveAsync(late, CancellationToken.None);
    }
}

/// <summary>What the core relies on of the webhook store: endpoints and deliveries changed only at the version read.</summary>
public abstract class WebhookStoreContract
{
    protected abstract IWebhookStore Store();

    [Fact]
    public async Task Endpoints_and_deliveries_are_written_only_at_the_version_read()
    {
        var store = Store();
        var merchantId = "contract-" + Guid.NewGuid().ToString("N")[..12];
        var at = new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero);
        var endpoint = new WebhookEndpoint(merchantId, "we_" + Guid.NewGuid().ToString("N")[..20], "https://hooks.example/x", ["*"], null, "whsec_1", at);
        await store.AddEndpointAsync(endpoint, CancellationToken.None);
        var read = (await store.FindEndpointAsync(merchantId, endpoint.EndpointId, CancellationToken.None)).ShouldNotBeNull();

        (await store.TryReplaceEndpointAsync(read, endpoint with { Description = "first" }, CancellationToken.None)).ShouldBeTrue();
        (await store.TryReplaceEndpointAsync(read, endpoint with { Description = "second" }, CancellationToken.None)).ShouldBeFalse();
        (await store.FindEndpointAsync(merchantId, endpoint.EndpointId, CancellationToken.None))!.Value.Description.ShouldBe("first");
        (await store.ListEndpointsAsync(merchantId, CancellationToken.None)).ShouldHaveSingleItem();

        var delivery = new WebhookDelivery(merchantId, endpoint.EndpointId, "evt_pr_1_1", "payment_request.created", at, WebhookDeliveryStatus.Pending, 0,
            null, null, null, null, null);
        var added = (await store.TrySaveDeliveryAsync(delivery, null, CancellationToken.None)).ShouldNotBeNull();
        (await store.TrySaveDeliveryAsync(delivery, null, CancellationToken.None)).ShouldBeNull();
        (await store.TrySaveDeliveryAsync(delivery with { Status = WebhookDeliveryStatus.Delivered }, added, CancellationToken.None)).ShouldNotBeNull();
        (await store.TrySaveDeliveryAsync(delivery with { Status = WebhookDeliveryStatus.GaveUp }, added, CancellationToken.None)).ShouldBeNull();
        (await store.FindDeliveryAsync(merchantId, endpoint.EndpointId, "evt_pr_1_1", at, CancellationToken.None))!.Value.Status
            .ShouldBe(WebhookDeliveryStatus.Delivered);

        (await store.DeleteEndpointAsync(merchantId, endpoint.EndpointId, CancellationToken.None)).ShouldBeTrue();
        (await store.DeleteEndpointAsync(merchantId, endpoint.EndpointId, CancellationToken.None)).ShouldBeFalse();
    }
}
