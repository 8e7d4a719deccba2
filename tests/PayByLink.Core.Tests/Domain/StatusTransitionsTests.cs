using PayByLink.Core.Domain;

namespace PayByLink.Core.Tests.Domain;

public class StatusTransitionsTests
{
    [Theory]
    [InlineData(PaymentRequestStatus.Pending, PaymentRequestStatus.Sent)]
    [InlineData(PaymentRequestStatus.Pending, PaymentRequestStatus.Cancelled)]
    [InlineData(PaymentRequestStatus.Sent, PaymentRequestStatus.Opened)]
    [InlineData(PaymentRequestStatus.Sent, PaymentRequestStatus.Paid)]
    [InlineData(PaymentRequestStatus.Opened, PaymentRequestStatus.Paid)]
    [InlineData(PaymentRequestStatus.Opened, PaymentRequestStatus.Expired)]
    public void Requests_move_forward(PaymentRequestStatus from, PaymentRequestStatus to) =>
        StatusTransitions.CanMove(from, to).ShouldBeTrue();

    [Theory]
    [InlineData(PaymentRequestStatus.Paid, PaymentRequestStatus.Sent)]
    [InlineData(PaymentRequestStatus.Paid, PaymentRequestStatus.Cancelled)]
    [InlineData(PaymentRequestStatus.Cancelled, PaymentRequestStatus.Paid)]
    [InlineData(PaymentRequestStatus.Expired, PaymentRequestStatus.Opened)]
    [InlineData(PaymentRequestStatus.Opened, PaymentRequestStatus.Sent)]
    [InlineData(PaymentRequestStatus.Sent, PaymentRequestStatus.Pending)]
    [InlineData(PaymentRequestStatus.Failed, PaymentRequestStatus.Sent)]
    public void Requests_never_move_back_or_out_of_a_final_status(PaymentRequestStatus from, PaymentRequestStatus to) =>
        StatusTransitions.CanMove(from, to).ShouldBeFalse();

    [Theory]
    [InlineData("cancelled", true)]
    [InlineData("PAID", true)]
    [InlineData("3", false)]
    [InlineData("Refunded", false)]
    public void Status_names_parse_case_insensitively_but_not_as_numbers(string text, bool parses) =>
        StatusTransitions.TryParse(text, out _).ShouldBe(parses);
}
