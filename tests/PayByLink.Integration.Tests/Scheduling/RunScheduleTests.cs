using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PayByLink.Adapters.Storage;
using PayByLink.Batch;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Payments;
using PayByLink.Core.Ports;
using PayByLink.Core.Scheduling;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Scheduling;

/// <summary>Reminders, instalments and expiry on a fake clock, against a private Azurite, through the Batch app's timer function.</summary>
public sealed class RunScheduleTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2027, 3, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly RecordingPublisher _published = new();
    private readonly ConcurrentQueue<ScheduledEvent> _removed = new();
    private PrivateServices _private = null!;

    public async Task InitializeAsync() => _private = await PrivateServices.StartAsync("schedule-merchant", services => services
        .AddSingleton<TimeProvider>(_clock)
        .AddSingleton<ISendMessagePublisher>(_published)
        .AddSingleton<IScheduleStore>(sp => new RemovalsRecorded(new TableScheduleStore(sp.GetRequiredService<StorageClients>()), _removed)));

    public async Task DisposeAsync() => await _private.DisposeAsync();

    private ServiceProvider Services => _private.Services;

    private Merchant Merchant => _private.Merchant;

    private async Task<PaymentRequest> CreateAsync(PaymentRequestInput input)
    {
        var result = await Services.GetRequiredService<CreatePaymentRequest>().ExecuteAsync(Merchant, input, Requests.Caller, CancellationToken.None);
        return result.Request!;
    }

    private Task RunAsync() => new ScheduleFunctions(Services.GetRequiredService<RunSchedule>()).Run(null!, CancellationToken.None);

    private void AdvanceTo(int day, int hour, int minute = 5) =>
        _clock.SetUtcNow(new DateTimeOffset(2027, 3, day, hour, minute, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_request_that_ended_is_erased_by_the_timer_in_every_table_once_its_merchants_retention_has_run_out()
    {
        var request = await CreateAsync(Requests.Input("R-RETAIN") with
        {
            Customer = new CustomerInput { FirstName = "Retta", LastName = "Longkeep", MobileNumber = "07700 900321", Email = "retta@example.com" },
        });
        await Services.GetRequiredService<PaymentRequestChanges>().ExecuteAsync(Merchant.Id, request.RequestId, PaymentRequestStatus.Cancelled, Requests.Caller,
            CancellationToken.None);

        AdvanceTo(16, 10); // its expiry event (day 15) finds it cancelled: erasure due 90 days after the cancel
        await RunAsync();
        var store = Services.GetRequiredService<IPaymentRequestStore>();
        (await store.FindAsync(Merchant.Id, request.RequestId, CancellationToken.None))!.Value.ErasedAt.ShouldBeNull();

        _clock.SetUtcNow(new DateTimeOffset(2027, 5, 30, 10, 30, 0, TimeSpan.Zero)); // 90 days after 1 March
        await RunAsync();
        await RunAsync();

        var erased = (await store.FindAsync(Merchant.Id, request.RequestId, CancellationToken.None))!.Value;
        (erased.ErasedAt, erased.Content.Customer.LastName, erased.Status).ShouldBe((_clock.GetUtcNow(), "", PaymentRequestStatus.Cancelled));
        var storage = Services.GetRequiredService<StorageClients>();
        foreach (var (where, text) in await StoredRows.ReadAsync(storage))
        {
            foreach (var value in new[] { "Retta", "Longkeep", "447700900321", "retta@example.com" })
            {
                text.Contains(value, StringComparison.OrdinalIgnoreCase).ShouldBeFalse($"{where} holds {value}");
            }
        }
    }

    [Fact]
    public async Task Reminders_go_every_n_days_up_to_max_once_each_even_when_the_timer_runs_twice()
    {
        var request = await CreateAsync(Requests.Input("R-1") with { Reminders = new RemindersInput { EveryDays = 2, Max = 2 } });

        AdvanceTo(2, 12);
        await RunAsync();
        _published.For(request.RequestId, "reminder-1").ShouldBeEmpty();

        AdvanceTo(3, 10);
        await Task.WhenAll(RunAsync(), RunAsync());
        await RunAsync();
        _published.For(request.RequestId, "reminder-1").Select(m => m.SendId).Distinct()
            .ShouldBe([$"{request.RequestId}.sms.reminder-1", $"{request.RequestId}.email.reminder-1"], ignoreOrder: true);

        AdvanceTo(5, 10);
        await RunAsync();
        _published.For(request.RequestId, "reminder-2").Select(m => m.SendId).Distinct().Count().ShouldBe(2);

        AdvanceTo(9, 10);
        await RunAsync();
        _published.For(request.RequestId, "reminder-3").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_reminder_due_in_quiet_hours_waits_for_the_morning()
    {
        _clock.SetUtcNow(new DateTimeOffset(2027, 3, 1, 22, 0, 0, TimeSpan.Zero));
        var request = await CreateAsync(Requests.Input("Q-1") with { Reminders = new RemindersInput { EveryDays = 1, Max = 1 } });

        _clock.SetUtcNow(new DateTimeOffset(2027, 3, 2, 22, 5, 0, TimeSpan.Zero));
        await RunAsync();
        _published.For(request.RequestId, "reminder-1").ShouldBeEmpty();

        _clock.SetUtcNow(new DateTimeOffset(2027, 3, 3, 7, 55, 0, TimeSpan.Zero));
        await RunAsync();
        _published.For(request.RequestId, "reminder-1").ShouldBeEmpty();

        _clock.SetUtcNow(new DateTimeOffset(2027, 3, 3, 8, 5, 0, TimeSpan.Zero));
        await RunAsync();
        _published.For(request.RequestId, "reminder-1").Count.ShouldBe(2);
    }

    [Fact]
    public async Task Paid_and_cancelled_requests_get_no_reminders()
    {
        var paid = await CreateAsync(Requests.Input("P-1") with { Reminders = new RemindersInput { EveryDays = 1, Max = 3 } });
        var cancelled = await CreateAsync(Requests.Input("C-1") with { Reminders = new RemindersInput { EveryDays = 1, Max = 3 } });
        var statuses = Services.GetRequiredService<PaymentRequestChanges>();
        await statuses.ExecuteAsync(Merchant.Id, paid.RequestId, PaymentRequestStatus.Paid, Requests.Caller, CancellationToken.None);
        await statuses.ExecuteAsync(Merchant.Id, cancelled.RequestId, PaymentRequestStatus.Cancelled, Requests.Caller, CancellationToken.None);

        AdvanceTo(2, 10);
        await RunAsync();
        AdvanceTo(3, 10);
        await RunAsync();

        _published.For(paid.RequestId, "reminder-1").ShouldBeEmpty();
        _published.For(cancelled.RequestId, "reminder-1").ShouldBeEmpty();
    }

    [Fact]
    public async Task Each_instalment_is_sent_on_its_date()
    {
        var request = await CreateAsync(Requests.Input("I-1") with
        {
            RepaymentPlan = new RepaymentPlanInput { Instalments = 2, Frequency = "weekly", FirstPaymentDate = new DateOnly(2027, 3, 4) },
        });

        AdvanceTo(4, 8, 55);
        await RunAsync();
        _published.For(request.RequestId, "instalment-1").ShouldBeEmpty();

        AdvanceTo(4, 9);
        await RunAsync();
        _published.For(request.RequestId, "instalment-1").Count.ShouldBe(2);

        AdvanceTo(11, 9);
        await RunAsync();
        _published.For(request.RequestId, "instalment-2").Count.ShouldBe(2);
    }

    [Fact]
    public async Task An_instalment_paid_ahead_of_its_date_gets_no_link_on_that_date()
    {
        var request = await CreateAsync(Requests.Input("I-2") with
        {
            RepaymentPlan = new RepaymentPlanInput { Instalments = 2, Frequency = "weekly", FirstPaymentDate = new DateOnly(2027, 3, 4) },
        });
        await Services.GetRequiredService<IPaymentStore>().TryAddAsync(
            new Payment(Merchant.Id, request.RequestId, 2, 45m, "GBP", "test", "tgp_early", _clock.GetUtcNow()), CancellationToken.None);

        AdvanceTo(4, 9);
        await RunAsync();
        AdvanceTo(11, 9);
        await RunAsync();

        _published.For(request.RequestId, "instalment-1").Count.ShouldBe(2);
        _published.For(request.RequestId, "instalment-2").ShouldBeEmpty();
    }

    [Fact]
    public async Task An_open_request_past_its_expiry_becomes_expired()
    {
        var request = await CreateAsync(Requests.Input("E-1") with { ExpiresAt = new DateTimeOffset(2027, 3, 2, 10, 0, 0, TimeSpan.Zero) });

        AdvanceTo(2, 10);
        await RunAsync();

        (await Services.GetRequiredService<IPaymentRequestStore>().FindAsync(Merchant.Id, request.RequestId, CancellationToken.None))!
            .Value.Status.ShouldBe(PaymentRequestStatus.Expired);
        var expired = (await Services.GetRequiredService<IEventLog>().ListAsync(Merchant.Id, request.RequestId, CancellationToken.None))[^1];
        expired.Type.ShouldBe(EventTypes.RequestExpired);
        expired.CreatedAt.ShouldBe(_clock.GetUtcNow());
    }

    [Fact]
    public async Task A_batch_whose_upload_url_runs_out_unused_expires_on_the_timer_without_being_read()
    {
        var started = await Services.GetRequiredService<StartBatch>().ExecuteAsync(Merchant, "never-uploaded.csv", false, CancellationToken.None);
        var batchId = started.Started!.Batch.BatchId;

        AdvanceTo(1, 10, 34);
        await RunAsync();
        (await Services.GetRequiredService<IBatchStore>().FindAsync(Merchant.Id, batchId, CancellationToken.None))!.Value.Status
            .ShouldBe(BatchStatus.AwaitingUpload, "the URL and its grace have not run out");

        AdvanceTo(1, 10, 36);
        await RunAsync();
        var batch = (await Services.GetRequiredService<IBatchStore>().FindAsync(Merchant.Id, batchId, CancellationToken.None))!.Value;
        batch.Status.ShouldBe(BatchStatus.Expired);
        batch.CompletedAt.ShouldBe(_clock.GetUtcNow());
        var events = await Services.GetRequiredService<IEventLog>().ListAsync(Merchant.Id, batchId, CancellationToken.None);
        events.ShouldHaveSingleItem().Type.ShouldBe(EventTypes.BatchExpired);
    }

    [Fact]
    public async Task A_create_that_stopped_after_its_claim_answers_in_progress_and_is_finished_by_the_schedule_whatever_its_client_does()
    {
        var creates = Services.GetRequiredService<CreatePaymentRequest>();
        _published.FailNext = true;
        await Should.ThrowAsync<IOException>(() => creates.ExecuteAsync(Merchant, Requests.Input("C-1"), Requests.Caller, CancellationToken.None));
        var requestId = (await Services.GetRequiredService<IPaymentRequestStore>().FindClaimAsync(Merchant.Id, "C-1", CancellationToken.None))!
            .Request.RequestId;

        // The repeat waits a while, on this clock, for the create it finds under way before it answers in-progress.
        var repeating = creates.ExecuteAsync(Merchant, Requests.Input("C-1"), Requests.Caller, CancellationToken.None);
        while (!repeating.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        var retry = await repeating;
        retry.Outcome.ShouldBe(CreateOutcome.InProgress);
        retry.Request.ShouldBeNull();
        retry.RetryAfter!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), CreatePaymentRequest.AbandonedAfter);
        _published.For(requestId, SendMessage.InitialPurpose).ShouldBeEmpty();

        _clock.Advance(CreatePaymentRequest.AbandonedAfter + TimeSpan.FromSeconds(1));
        await RunAsync();

        var claim = (await Services.GetRequiredService<IPaymentRequestStore>().FindClaimAsync(Merchant.Id, "C-1", CancellationToken.None))!;
        (await Services.GetRequiredService<IScheduleStore>().ContainsAsync(CreatePaymentRequest.FinishCheck(claim.Request), CancellationToken.None))
            .ShouldBeFalse("the create's check is removed when it is finished");
        _removed.Count(e => e.RequestId == requestId && e.Action == ScheduledAction.FinishCreate).ShouldBe(1, "finishing the create removes its check, once");
        (await Services.GetRequiredService<IPaymentRequestStore>().FindAsync(Merchant.Id, requestId, CancellationToken.None)).ShouldNotBeNull();
        _published.For(requestId, SendMessage.InitialPurpose).Select(m => m.SendId)
            .ShouldBe([$"{requestId}.sms.initial", $"{requestId}.email.initial"], ignoreOrder: true);
        var repeat = await creates.ExecuteAsync(Merchant, Requests.Input("C-1"), Requests.Caller, CancellationToken.None);
        repeat.Outcome.ShouldBe(CreateOutcome.AlreadyExists);
        repeat.Request!.RequestId.ShouldBe(requestId);

        await RunAsync();
        _published.For(requestId, SendMessage.InitialPurpose).Count.ShouldBe(2);
    }

    /// <summary>The schedule, recording every removal asked of it.</summary>
    private sealed class RemovalsRecorded(IScheduleStore inner, ConcurrentQueue<ScheduledEvent> removed) : IScheduleStore
    {
        public Task AddAsync(ScheduledEvent scheduled, CancellationToken cancellationToken) => inner.AddAsync(scheduled, cancellationToken);

        public Task<IReadOnlyList<ScheduledEvent>> DueAsync(DateTimeOffset fromHour, DateTimeOffset until, CancellationToken cancellationToken) =>
            inner.DueAsync(fromHour, until, cancellationToken);

        public Task RemoveAsync(ScheduledEvent scheduled, CancellationToken cancellationToken)
        {
            removed.Enqueue(scheduled);
            return inner.RemoveAsync(scheduled, cancellationToken);
        }

        public Task<bool> ContainsAsync(ScheduledEvent scheduled, CancellationToken cancellationToken) => inner.ContainsAsync(scheduled, cancellationToken);

        public Task<DateTimeOffset?> CheckpointAsync(CancellationToken cancellationToken) => inner.CheckpointAsync(cancellationToken);

        public Task SaveCheckpointAsync(DateTimeOffset hour, CancellationToken cancellationToken) => inner.SaveCheckpointAsync(hour, cancellationToken);
    }

    private sealed class RecordingPublisher : ISendMessagePublisher
    {
        private readonly ConcurrentQueue<SendMessage> _messages = new();

        public List<SendMessage> For(string requestId, string purpose) =>
            _messages.Where(m => m.RequestId == requestId && m.Purpose == purpose).ToList();

        /// <summary>The next publish fails, as a process that stops at that point would leave its create.</summary>
        public bool FailNext { get; set; }

        public Task PublishAsync(IReadOnlyList<SendMessage> messages, CancellationToken cancellationToken)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("The process stopped here.");
            }

            foreach (var message in messages)
            {
                _messages.Enqueue(message);
            }

            return Task.CompletedTask;
        }

        public Task<long?> CountWaitingAsync(CancellationToken cancellationToken) => Task.FromResult<long?>(_messages.Count);
    }
}
