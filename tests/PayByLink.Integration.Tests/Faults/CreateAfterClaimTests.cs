using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Faults;

/// <summary>
/// A create whose claim is written and whose storage then stops answering for a moment: within an API call's deadline
/// it finishes and answers with the request, rather than an outage that leaves its caller not knowing.
/// </summary>
public sealed class CreateAfterClaimTests
{
    /// <summary>Refuses its first <paramref name="failures"/> publishes as an outage would, then publishes.</summary>
    private sealed class FlakyPublisher(int failures) : ISendMessagePublisher
    {
        private int _calls;

        public List<SendMessage> Published { get; } = [];

        public Task PublishAsync(IReadOnlyList<SendMessage> messages, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) <= failures)
            {
                throw new StorageUnavailableException("Storage at 127.0.0.1:1 did not answer POST: HttpRequestException.");
            }

            lock (Published)
            {
                Published.AddRange(messages);
            }

            return Task.CompletedTask;
        }

        public Task<long?> CountWaitingAsync(CancellationToken cancellationToken) => Task.FromResult<long?>(0);
    }

    private static PaymentRequestInput Input(string reference) => new()
    {
        ClientTransactionRef = reference, Amount = 12.50m, AccountReference = "ACC-1", Reason = "Rent",
        Customer = new CustomerInput { FirstName = "Jane", LastName = "Smith", MobileNumber = "07700 900123" },
    };

    [Fact]
    public async Task Within_a_call_s_deadline_a_claimed_create_finishes_after_storage_stops_answering_and_answers_with_its_request()
    {
        var publisher = new FlakyPublisher(failures: 2);
        await using var services = await PrivateServices.StartAsync("claim-merchant", s => s.AddSingleton<ISendMessagePublisher>(publisher));
        var create = services.Services.GetRequiredService<CreatePaymentRequest>();

        CreateResult result;
        using (CallDeadline.Start(TimeProvider.System, CallDeadline.ForApiCall))
        {
            result = await create.ExecuteAsync(services.Merchant, Input("CLAIM-1"), Requests.Caller, CancellationToken.None);
        }

        result.Outcome.ShouldBe(CreateOutcome.Created);
        publisher.Published.Select(m => m.SendId).ShouldBe([$"{result.Request!.RequestId}.sms.initial"]);
        (await services.Services.GetRequiredService<IPaymentRequestStore>().FindAsync(services.Merchant.Id, result.Request.RequestId,
            CancellationToken.None))!.Value.Status.ShouldBe(PaymentRequestStatus.Pending);
        var repeat = await create.ExecuteAsync(services.Merchant, Input("CLAIM-1"), Requests.Caller, CancellationToken.None);
        (repeat.Outcome, repeat.Request!.RequestId).ShouldBe((CreateOutcome.AlreadyExists, result.Request.RequestId));
    }

    [Fact]
    public async Task Without_time_left_the_outage_is_the_answer_and_a_repeat_finishes_the_same_request()
    {
        var publisher = new FlakyPublisher(failures: 1);
        await using var services = await PrivateServices.StartAsync("claim-merchant", s => s.AddSingleton<ISendMessagePublisher>(publisher));
        var create = services.Services.GetRequiredService<CreatePaymentRequest>();

        await Should.ThrowAsync<StorageUnavailableException>(() => create.ExecuteAsync(services.Merchant, Input("CLAIM-2"), Requests.Caller, CancellationToken.None));

        var claim = await services.Services.GetRequiredService<IPaymentRequestStore>().FindClaimAsync(services.Merchant.Id, "CLAIM-2", CancellationToken.None);
        claim.ShouldNotBeNull("the claim was written before the outage");
        var finished = await create.FinishAsync(services.Merchant, "CLAIM-2", CancellationToken.None);
        finished.ShouldBeTrue();
        publisher.Published.Select(m => m.SendId).ShouldBe([$"{claim.Request.RequestId}.sms.initial"]);
    }
}
