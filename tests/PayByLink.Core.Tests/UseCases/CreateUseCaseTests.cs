using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Core.Scheduling;
using PayByLink.Testing;

namespace PayByLink.Core.Tests.UseCases;

/// <summary>A create over in-memory ports: what it writes and queues, a repeat, and a create that stopped after its claim.</summary>
public class CreateUseCaseTests
{
    [Fact]
    public async Task A_create_saves_the_request_and_queues_one_send_per_channel()
    {
        using var suite = new InMemorySuite();
        var merchant = await suite.NewMerchantAsync();

        var result = await suite.Get<CreatePaymentRequest>().ExecuteAsync(merchant, TestData.ValidInput(), TestData.Caller, CancellationToken.None);

        result.Outcome.ShouldBe(CreateOutcome.Created);
        var id = result.Request!.RequestId;
        (await suite.Requests.FindAsync(merchant.Id, id, CancellationToken.None))!.Value.Status.ShouldBe(PaymentRequestStatus.Pending);
        suite.Sends.Published.Select(s => s.SendId).ShouldBe([$"{id}.sms.initial", $"{id}.email.initial"], ignoreOrder: true);
        suite.Schedule.All.ShouldNotContain(e => e.Action == ScheduledAction.FinishCreate, "a create that finished removes its check");
    }

    [Fact]
    public async Task A_repeat_answers_the_same_request_and_queues_nothing_more()
    {
        using var suite = new InMemorySuite();
        var merchant = await suite.NewMerchantAsync();
        var creates = suite.Get<CreatePaymentRequest>();
        var first = await creates.ExecuteAsync(merchant, TestData.ValidInput(), TestData.Caller, CancellationToken.None);

        var repeat = await creates.ExecuteAsync(merchant, TestData.ValidInput(), TestData.Caller, CancellationToken.None);
        var different = await creates.ExecuteAsync(merchant, TestData.ValidInput() with { Amount = 99m }, TestData.Caller, CancellationToken.None);

        repeat.Outcome.ShouldBe(CreateOutcome.AlreadyExists);
        repeat.Request!.RequestId.ShouldBe(first.Request!.RequestId);
        different.Outcome.ShouldBe(CreateOutcome.Conflict);
        suite.Sends.Published.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_create_that_stopped_between_its_claim_and_its_save_is_finished_by_a_repeat_once_abandoned()
    {
        using var suite = new InMemorySuite();
        var merchant = await suite.NewMerchantAsync();
        var creates = suite.Get<CreatePaymentRequest>();
        var failing = new FailingStore(suite.Requests);
        var stopped = new CreatePaymentRequest(failing, suite.Get<IPaymentLinkStore>(), suite.Sends, suite.Schedule,
            suite.Get<PayByLink.Core.Events.ChangePublisher>(), suite.Get<PayByLink.Core.Limits.DailyMessageCap>(), suite.Get<ITokenSource>(), suite.Clock);

        await Should.ThrowAsync<IOException>(() => stopped.ExecuteAsync(merchant, TestData.ValidInput(), TestData.Caller, CancellationToken.None));
        var claim = (await suite.Requests.FindClaimAsync(merchant.Id, "INV-1001", CancellationToken.None)).ShouldNotBeNull();
        (await suite.Requests.FindAsync(merchant.Id, claim.Request.RequestId, CancellationToken.None)).ShouldBeNull("it stopped before its save");

        // Within the create's own time, a repeat waits for it and then answers that it is in progress.
        var waiting = creates.ExecuteAsync(merchant, TestData.ValidInput(), TestData.Caller, CancellationToken.None);
        while (!waiting.IsCompleted)
        {
            suite.Clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        var inProgress = await waiting;
        inProgress.Outcome.ShouldBe(CreateOutcome.InProgress);
        inProgress.RetryAfter.ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.Zero);

        // Once the create is abandoned, a repeat finishes it: the same request, saved, its sends queued once.
        suite.Clock.Advance(CreatePaymentRequest.AbandonedAfter);
        var finished = await creates.ExecuteAsync(merchant, TestData.ValidInput(), TestData.Caller, CancellationToken.None);

        finished.Outcome.ShouldBe(CreateOutcome.AlreadyExists);
        finished.Request!.RequestId.ShouldBe(claim.Request.RequestId);
        (await suite.Requests.FindAsync(merchant.Id, claim.Request.RequestId, CancellationToken.None)).ShouldNotBeNull();
        suite.Sends.Published.Count(s => s.RequestId == claim.Request.RequestId).ShouldBe(2);
        (await creates.ExecuteAsync(merchant, TestData.ValidInput(), TestData.Caller, CancellationToken.None)).Outcome.ShouldBe(CreateOutcome.AlreadyExists);
        suite.Sends.Published.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_batch_lines_create_hands_its_bulk_sends_to_its_chunk_worker_and_a_repeat_of_the_line_makes_nothing_new()
    {
        using var suite = new InMemorySuite();
        var merchant = await suite.NewMerchantAsync();
        var creates = suite.Get<CreatePaymentRequest>();
        var content = PaymentRequestRules.Validate(TestData.ValidInput("LINE-7"), merchant, suite.Clock.GetUtcNow()).Value!;
        var line = new BatchLineRef("b_test", Record: 5, Line: 7);

        var first = await creates.CreateAsync(merchant, content, line, Core.Events.Actor.Batch(line.BatchId), CancellationToken.None);
        var again = await creates.CreateAsync(merchant, content, line, Core.Events.Actor.Batch(line.BatchId), CancellationToken.None);

        first.Outcome.ShouldBe(CreateOutcome.Created);
        first.Sends.Select(s => (s.Channel, s.Bulk)).ShouldBe([(Channel.Sms, true), (Channel.Email, true)], ignoreOrder: true);
        suite.Sends.Published.ShouldBeEmpty("the chunk worker publishes a group's sends together");
        (await suite.Requests.FindAsync(merchant.Id, first.Request!.RequestId, CancellationToken.None))!.Value.Batch.ShouldBe(line);
        again.Outcome.ShouldBe(CreateOutcome.AlreadyExists);
        again.Request!.RequestId.ShouldBe(first.Request.RequestId);
    }

    /// <summary>A store whose save fails as a process that stops there would: the claim is written, the request is not.</summary>
    private sealed class FailingStore(IPaymentRequestStore inner) : IPaymentRequestStore
    {
        public Task<ReferenceClaim?> TryClaimReferenceAsync(PaymentRequest request, DateTimeOffset now, CancellationToken cancellationToken) =>
            inner.TryClaimReferenceAsync(request, now, cancellationToken);

        public Task<ReferenceClaim?> FindClaimAsync(string merchantId, string clientTransactionRef, CancellationToken cancellationToken) =>
            inner.FindClaimAsync(merchantId, clientTransactionRef, cancellationToken);

        public Task SaveAsync(PaymentRequest request, CancellationToken cancellationToken) => throw new IOException("The process stopped here.");

        public Task<Versioned<PaymentRequest>?> FindAsync(string merchantId, string requestId, CancellationToken cancellationToken) =>
            inner.FindAsync(merchantId, requestId, cancellationToken);

        public Task<bool> TryReplaceAsync(Versioned<PaymentRequest> current, PaymentRequest replacement, Versioned<PayByLink.Core.Delivery.DeliveryRecord>? delivery,
            PayByLink.Core.Events.DomainEvent change, CancellationToken cancellationToken) => inner.TryReplaceAsync(current, replacement, delivery, change, cancellationToken);

        public Task<PaymentRequestPage> ListAsync(string merchantId, PaymentRequestFilter filter, int pageSize, string? continuationToken,
            CancellationToken cancellationToken) => inner.ListAsync(merchantId, filter, pageSize, continuationToken, cancellationToken);

        public Task ReindexAsync(PaymentRequest before, PaymentRequest after, CancellationToken cancellationToken) =>
            inner.ReindexAsync(before, after, cancellationToken);

        public Task EraseCopiesAsync(PaymentRequest original, PaymentRequest erased, CancellationToken cancellationToken) =>
            inner.EraseCopiesAsync(original, erased, cancellationToken);
    }
}
