using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using static PayByLink.Core.Tests.TestData;

namespace PayByLink.Core.Tests.Batches;

public class BatchLineOutcomesTests
{
    private static readonly BatchLineRef Line = new("b_1", 7, 9);

    private static PaymentRequest Request(PaymentRequestStatus status, BatchLineRef? line) =>
        new(AcmeEnergy.Id, "pr_1", PaymentRequestRules.Validate(ValidInput(), AcmeEnergy, Now).Value!, status, "AbCdEfGhIj",
            new string('t', 43), Now, Now, line);

    [Fact]
    public void A_request_is_a_lines_own_only_when_that_line_made_it()
    {
        BatchLineOutcomes.IsOwnRequest(Line, Request(PaymentRequestStatus.Pending, Line)).ShouldBeTrue();
        BatchLineOutcomes.IsOwnRequest(Line, Request(PaymentRequestStatus.Pending, Line with { Record = 8, Line = 10 })).ShouldBeFalse();
        BatchLineOutcomes.IsOwnRequest(Line, Request(PaymentRequestStatus.Pending, Line with { BatchId = "b_2" })).ShouldBeFalse();
        BatchLineOutcomes.IsOwnRequest(Line, Request(PaymentRequestStatus.Pending, null)).ShouldBeFalse();
    }

    [Theory]
    [InlineData(PaymentRequestStatus.Pending, null, null)]
    [InlineData(PaymentRequestStatus.Sent, true, null)]
    [InlineData(PaymentRequestStatus.Opened, true, null)]
    [InlineData(PaymentRequestStatus.Paid, true, null)]
    [InlineData(PaymentRequestStatus.Failed, false, "delivery_failed")]
    [InlineData(PaymentRequestStatus.Cancelled, false, "cancelled")]
    [InlineData(PaymentRequestStatus.Expired, false, "expired")]
    public void A_lines_own_request_settles_it_by_its_first_delivery_and_leaves_it_waiting_while_pending(
        PaymentRequestStatus status, bool? sent, string? error)
    {
        var outcome = BatchLineOutcomes.ForOwnRequest(Request(status, Line));

        (outcome?.Sent).ShouldBe(sent);
        (outcome?.Record ?? Line.Record).ShouldBe(Line.Record);
        (outcome?.Errors.SingleOrDefault()?.Code).ShouldBe(error);
    }

    [Theory]
    [InlineData(PaymentRequestStatus.Pending, true)]
    [InlineData(PaymentRequestStatus.Sent, true)]
    [InlineData(PaymentRequestStatus.Opened, true)]
    [InlineData(PaymentRequestStatus.Paid, true)]
    [InlineData(PaymentRequestStatus.Failed, false)]
    [InlineData(PaymentRequestStatus.Cancelled, false)]
    [InlineData(PaymentRequestStatus.Expired, false)]
    public void A_line_that_matched_an_earlier_request_is_settled_at_once_even_while_that_request_is_pending(PaymentRequestStatus status, bool sent)
    {
        // No change of the earlier request names this line, so a line left waiting on it would never settle.
        var outcome = BatchLineOutcomes.ForEarlierRequest(Line.Record, Request(status, null));

        outcome.ShouldNotBeNull();
        outcome.Sent.ShouldBe(sent);
        outcome.Record.ShouldBe(Line.Record);
        (outcome.Errors.SingleOrDefault()?.Code).ShouldBe(sent ? null : "earlier_request_closed");
    }
}
