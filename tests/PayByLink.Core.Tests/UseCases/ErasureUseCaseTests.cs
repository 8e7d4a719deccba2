using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Erasure;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Testing;

namespace PayByLink.Core.Tests.UseCases;

/// <summary>A person's erasure over in-memory ports: what <see cref="ErasePerson"/> removes, what it keeps, and that it repeats safely.</summary>
public class ErasureUseCaseTests
{
    private static PaymentRequestInput Input(string reference, string first, string last, string mobile, string email) =>
        TestData.ValidInput(reference) with
        {
            Customer = new CustomerInput { FirstName = first, LastName = last, MobileNumber = mobile, Email = email },
            Reason = "Rent for " + first,
        };

    [Fact]
    public async Task Every_request_to_the_mobile_loses_its_personal_data_and_an_open_one_is_cancelled_first()
    {
        using var suite = new InMemorySuite();
        var merchant = await suite.NewMerchantAsync();
        var create = suite.Get<CreatePaymentRequest>();
        var sent = (await create.ExecuteAsync(merchant, Input("R-1", "Zara", "Quill", "07700 900555", "zara@example.com"), TestData.Caller, CancellationToken.None)).Request!;
        var paid = (await create.ExecuteAsync(merchant, Input("R-2", "Zara", "Quill", "+44 7700 900555", "zq@example.com"), TestData.Caller, CancellationToken.None)).Request!;
        var other = (await create.ExecuteAsync(merchant, Input("R-3", "Omar", "Other", "07700 900777", "omar@example.com"), TestData.Caller, CancellationToken.None)).Request!;
        await suite.DeliverSendsAsync();
        await suite.Get<PaymentRequestChanges>().ExecuteAsync(merchant.Id, paid.RequestId, PaymentRequestStatus.Paid, TestData.Caller, CancellationToken.None);
        await suite.Get<OptOuts>().AddAsync(merchant, new OptOutInput("07700 900555", null), CancellationToken.None);

        var result = await suite.Get<ErasePerson>().EraseAsync(merchant, new ErasureInput("07700900555", null), TestData.Caller, CancellationToken.None);

        (result.Value!.Requests, result.Value.OptOuts, result.Value.BatchLines).ShouldBe((2, 1, 0));
        foreach (var (id, status) in new[] { (sent.RequestId, PaymentRequestStatus.Cancelled), (paid.RequestId, PaymentRequestStatus.Paid) })
        {
            var erased = (await suite.Requests.FindAsync(merchant.Id, id, CancellationToken.None))!.Value;
            erased.Status.ShouldBe(status, "an open request is cancelled first; a paid one stays paid");
            erased.ErasedAt.ShouldNotBeNull();
            (erased.Content.Customer.FirstName, erased.Content.Customer.LastName, erased.Content.Customer.MobileNumber, erased.Content.Customer.Email)
                .ShouldBe(("", "", null, null));
            (erased.Content.Reason, erased.Content.Amount, erased.Content.AccountReference).ShouldBe((null, 120.50m, "ACC-42"));

            var events = await suite.Get<IEventLog>().ListAsync(merchant.Id, id, CancellationToken.None);
            events[^1].Type.ShouldBe(EventTypes.RequestErased);
            events.ShouldAllBe(e => e.Data.Request == null || (e.Data.Request.Content.Customer.LastName == "" && e.Data.Request.Content.Reason == null));
            events.ShouldAllBe(e => e.Data.Delivery == null || e.Data.Delivery.Recipient == null);
            (await ((IDeliveryStore)suite.Requests).ListAsync(merchant.Id, id, CancellationToken.None)).ShouldAllBe(d => d.Recipient == null);
            (await suite.Requests.FindClaimAsync(merchant.Id, erased.ClientTransactionRef, CancellationToken.None))!.Request.Content.Customer.LastName
                .ShouldBeEmpty();
        }

        (await suite.Requests.FindAsync(merchant.Id, other.RequestId, CancellationToken.None))!.Value.Content.Customer.LastName.ShouldBe("Other");
        (await suite.Requests.ListAsync(merchant.Id, new PaymentRequestFilter { MobileNumber = "+447700900555" }, 10, null, CancellationToken.None))
            .Items.ShouldBeEmpty();

        // Still never texted: the opt-out holds, off the list.
        (await suite.OptOutStore.FindAsync(merchant.Id, Channel.Sms, "+447700900555", CancellationToken.None)).ShouldNotBeNull();
        (await suite.OptOutStore.ListAsync(merchant.Id, 10, null, CancellationToken.None)).Items.ShouldBeEmpty();

        var again = await suite.Get<ErasePerson>().EraseAsync(merchant, new ErasureInput("07700 900555", null), TestData.Caller, CancellationToken.None);
        (again.Value!.Requests, again.Value.OptOuts).ShouldBe((0, 0));
    }

    [Fact]
    public async Task An_email_is_found_without_regard_to_case_and_a_bad_call_names_its_field()
    {
        using var suite = new InMemorySuite();
        var merchant = await suite.NewMerchantAsync();
        var request = (await suite.Get<CreatePaymentRequest>().ExecuteAsync(merchant, Input("R-9", "Ida", "Ink", "07700 900444", "Ida.Ink@Example.com"), TestData.Caller,
            CancellationToken.None)).Request!;
        var erasure = suite.Get<ErasePerson>();

        (await erasure.EraseAsync(merchant, new ErasureInput(null, "ida.ink@example.com"), TestData.Caller, CancellationToken.None)).Value!.Requests.ShouldBe(1);
        (await suite.Requests.FindAsync(merchant.Id, request.RequestId, CancellationToken.None))!.Value.Content.Customer.Email.ShouldBeNull();

        (await erasure.EraseAsync(merchant, new ErasureInput(null, null), TestData.Caller, CancellationToken.None)).Errors.Single().Field.ShouldBe("mobileNumber");
        (await erasure.EraseAsync(merchant, new ErasureInput("07700 900444", "a@example.com"), TestData.Caller, CancellationToken.None)).IsValid.ShouldBeFalse();
        (await erasure.EraseAsync(merchant, new ErasureInput(null, "not an email"), TestData.Caller, CancellationToken.None)).Errors.Single().Field.ShouldBe("email");
    }
}
