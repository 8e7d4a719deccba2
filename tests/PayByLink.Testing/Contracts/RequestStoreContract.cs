using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Ports;

namespace PayByLink.Testing.Contracts;

/// <summary>The stores of a request's partition, as the core relies on them; run against every implementation.</summary>
public sealed record RequestStores(IPaymentRequestStore Requests, IDeliveryStore Deliveries, IEventLog Events);

/// <summary>
/// What the core relies on of the payment request, delivery and event stores: claims taken once, a request never
/// overwritten by a save, conditional writes by version, and a change written with its event and its send or not at all.
/// Each implementation runs these against its own storage, so an in-memory stand-in cannot drift from the tables.
/// </summary>
public abstract class RequestStoreContract
{
    protected abstract RequestStores Stores();

    private static readonly DateTimeOffset At = new(2027, 1, 4, 9, 0, 0, TimeSpan.Zero);

    private static PaymentRequest NewRequest(string? merchantId = null, string reference = "REF-1") =>
        new(merchantId ?? "contract-" + Guid.NewGuid().ToString("N")[..12], "pr_" + Guid.NewGuid().ToString("N"),
            new PaymentRequestContent(reference, 10m, "GBP", "ACC-1", "Invoice", null,
                new Customer(null, "Jane", "Smith", "+447700900123", null), [Channel.Sms], At.AddDays(7), null, null, "fingerprint"),
            PaymentRequestStatus.Pending, "Ab3dE5gH7j", "Ab3dE5gH7j" + new string('x', 33), At, At) { EventCount = 1 };

    private static DeliveryRecord Send(PaymentRequest request, DeliveryStatus status = DeliveryStatus.Sending) =>
        new($"{request.RequestId}.sms.initial", request.MerchantId, request.RequestId, Channel.Sms, "initial", status, 1, "+44***", null, null, null, At);

    private static DomainEvent Change(PaymentRequest request, string type) =>
        new(request.MerchantId, request.RequestId, request.EventCount, type, At, new EventData(Request: request));

    [Fact]
    public async Task A_reference_is_claimed_once_and_a_second_claim_finds_the_first()
    {
        var stores = Stores();
        var first = NewRequest();
        var second = NewRequest(first.MerchantId) with { };

        (await stores.Requests.TryClaimReferenceAsync(first, At, CancellationToken.None)).ShouldBeNull();
        var taken = await stores.Requests.TryClaimReferenceAsync(second, At.AddSeconds(1), CancellationToken.None);

        taken.ShouldNotBeNull().Request.RequestId.ShouldBe(first.RequestId);
        taken.ClaimedAt.ShouldBe(At);
        (await stores.Requests.FindClaimAsync(first.MerchantId, "REF-1", CancellationToken.None))!.Request.RequestId.ShouldBe(first.RequestId);
        (await stores.Requests.FindClaimAsync(first.MerchantId, "REF-2", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task A_save_never_overwrites_a_request_that_has_moved_on()
    {
        var stores = Stores();
        var request = NewRequest();
        await stores.Requests.SaveAsync(request, CancellationToken.None);
        var saved = (await stores.Requests.FindAsync(request.MerchantId, request.RequestId, CancellationToken.None)).ShouldNotBeNull();
        var sent = request with { Status = PaymentRequestStatus.Sent, EventCount = 2 };
        (await stores.Requests.TryReplaceAsync(saved, sent, null, Change(sent, EventTypes.RequestSent), CancellationToken.None)).ShouldBeTrue();

        await stores.Requests.SaveAsync(request, CancellationToken.None);

        (await stores.Requests.FindAsync(request.MerchantId, request.RequestId, CancellationToken.None))!.Value.Status.ShouldBe(PaymentRequestStatus.Sent);
    }

    [Fact]
    public async Task A_change_at_a_version_that_moved_on_writes_nothing()
    {
        var stores = Stores();
        var request = NewRequest();
        await stores.Requests.SaveAsync(request, CancellationToken.None);
        var read = (await stores.Requests.FindAsync(request.MerchantId, request.RequestId, CancellationToken.None))!;
        var cancelled = request with { Status = PaymentRequestStatus.Cancelled, EventCount = 2 };
        (await stores.Requests.TryReplaceAsync(read, cancelled, null, Change(cancelled, EventTypes.RequestCancelled), CancellationToken.None)).ShouldBeTrue();

        var expired = request with { Status = PaymentRequestStatus.Expired, EventCount = 2 };
        (await stores.Requests.TryReplaceAsync(read, expired, null, Change(expired, EventTypes.RequestExpired), CancellationToken.None)).ShouldBeFalse();

        (await stores.Requests.FindAsync(request.MerchantId, request.RequestId, CancellationToken.None))!.Value.Status.ShouldBe(PaymentRequestStatus.Cancelled);
        (await stores.Events.ListAsync(request.MerchantId, request.RequestId, CancellationToken.None)).Select(e => e.Type)
            .ShouldBe([EventTypes.RequestCreated, EventTypes.RequestCancelled]);
    }

    [Fact]
    public async Task A_change_with_a_send_whose_record_moved_on_writes_neither_the_change_nor_its_event()
    {
        var stores = Stores();
        var request = NewRequest();
        await stores.Requests.SaveAsync(request, CancellationToken.None);
        var read = (await stores.Requests.FindAsync(request.MerchantId, request.RequestId, CancellationToken.None))!;
        var claimed = (await stores.Deliveries.TrySaveAsync(Send(request), null, CancellationToken.None)).ShouldNotBeNull();
        (await stores.Deliveries.TrySaveAsync(Send(request, DeliveryStatus.Retrying), claimed, CancellationToken.None)).ShouldNotBeNull();

        var sent = request with { Status = PaymentRequestStatus.Sent, EventCount = 2 };
        var written = await stores.Requests.TryReplaceAsync(read, sent, new Versioned<DeliveryRecord>(Send(request, DeliveryStatus.Sent), claimed),
            Change(sent, EventTypes.RequestSent), CancellationToken.None);

        written.ShouldBeFalse();
        (await stores.Requests.FindAsync(request.MerchantId, request.RequestId, CancellationToken.None))!.Value.Status.ShouldBe(PaymentRequestStatus.Pending);
        (await stores.Deliveries.FindAsync(request.MerchantId, request.RequestId, Send(request).SendId, CancellationToken.None))!.Value.Status
            .ShouldBe(DeliveryStatus.Retrying);
        (await stores.Events.ListAsync(request.MerchantId, request.RequestId, CancellationToken.None)).Select(e => e.Type).ShouldBe([EventTypes.RequestCreated]);
    }

    [Fact]
    public async Task A_change_with_its_send_at_their_versions_writes_both_and_its_event()
    {
        var stores = Stores();
        var request = NewRequest();
        await stores.Requests.SaveAsync(request, CancellationToken.None);
        var read = (await stores.Requests.FindAsync(request.MerchantId, request.RequestId, CancellationToken.None))!;
        var claimed = (await stores.Deliveries.TrySaveAsync(Send(request), null, CancellationToken.None))!;

        var sent = request with { Status = PaymentRequestStatus.Sent, EventCount = 2 };
        (await stores.Requests.TryReplaceAsync(read, sent, new Versioned<DeliveryRecord>(Send(request, DeliveryStatus.Sent), claimed),
            Change(sent, EventTypes.RequestSent), CancellationToken.None)).ShouldBeTrue();

        var now = (await stores.Requests.FindAsync(request.MerchantId, request.RequestId, CancellationToken.None))!;
        now.Value.Status.ShouldBe(PaymentRequestStatus.Sent);
        now.Version.ShouldNotBe(read.Version);
        (await stores.Deliveries.ListAsync(request.MerchantId, request.RequestId, CancellationToken.None)).ShouldHaveSingleItem().Status.ShouldBe(DeliveryStatus.Sent);
        var events = await stores.Events.ListAsync(request.MerchantId, request.RequestId, CancellationToken.None);
        events.Select(e => (e.Sequence, e.Type)).ShouldBe([(1, EventTypes.RequestCreated), (2, EventTypes.RequestSent)]);
        events[0].Data.Request!.Status.ShouldBe(PaymentRequestStatus.Pending, "the created event shows the request as it was created");
    }

    [Fact]
    public async Task A_send_is_added_once_and_replaced_only_at_its_version()
    {
        var stores = Stores();
        var request = NewRequest();
        var record = Send(request);

        var added = (await stores.Deliveries.TrySaveAsync(record, null, CancellationToken.None)).ShouldNotBeNull();
        (await stores.Deliveries.TrySaveAsync(record, null, CancellationToken.None)).ShouldBeNull("it is there already");
        var replaced = (await stores.Deliveries.TrySaveAsync(record with { Status = DeliveryStatus.Sent }, added, CancellationToken.None)).ShouldNotBeNull();
        (await stores.Deliveries.TrySaveAsync(record with { Status = DeliveryStatus.Failed }, added, CancellationToken.None)).ShouldBeNull("it moved on");

        replaced.ShouldNotBe(added);
        var found = (await stores.Deliveries.FindAsync(request.MerchantId, request.RequestId, record.SendId, CancellationToken.None))!;
        (found.Value.Status, found.Version).ShouldBe((DeliveryStatus.Sent, replaced));
        (await stores.Deliveries.FindAsync(request.MerchantId, request.RequestId, "other", CancellationToken.None)).ShouldBeNull();
        (await stores.Deliveries.TrySaveAsync(record with { SendId = "never-added" }, added, CancellationToken.None)).ShouldBeNull("a replace needs a record");
    }
}
