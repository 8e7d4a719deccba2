using PayByLink.Core.PaymentRequests;
using static PayByLink.Core.Tests.TestData;

namespace PayByLink.Core.Tests.PaymentRequests;

public class PaymentRequestQueryTests
{
    private static PaymentRequestQuery.Parsed? Parse(params (string Name, string Value)[] query) =>
        PaymentRequestQuery.Parse(name => query.FirstOrDefault(q => q.Name == name).Value, AcmeEnergy).Value;

    [Fact]
    public void At_least_one_filter_is_required() =>
        PaymentRequestQuery.Parse(_ => null, AcmeEnergy).Errors.ShouldHaveSingleItem().Code.ShouldBe("filter_required");

    [Fact]
    public void Page_size_alone_is_not_a_filter() =>
        PaymentRequestQuery.Parse(n => n == "pageSize" ? "10" : null, AcmeEnergy).IsValid.ShouldBeFalse();

    [Fact]
    public void Names_are_folded_for_matching() =>
        Parse(("customerName", "  Jane   SMITH ")).ShouldNotBeNull().Filter.CustomerName.ShouldBe("jane smith");

    [Fact]
    public void Mobile_numbers_are_normalised_like_on_create() =>
        Parse(("mobileNumber", "07700 900123")).ShouldNotBeNull().Filter.MobileNumber.ShouldBe("+447700900123");

    [Theory]
    [InlineData("pageSize", "0")]
    [InlineData("pageSize", "101")]
    [InlineData("amount", "abc")]
    [InlineData("status", "Refunded")]
    [InlineData("createdFrom", "yesterday")]
    [InlineData("mobileNumber", "123")]
    public void Bad_values_are_field_errors(string name, string value) =>
        PaymentRequestQuery.Parse(n => n == name ? value : n == "accountReference" ? "ACC-1" : null, AcmeEnergy)
            .Errors.ShouldHaveSingleItem().Field.ShouldBe(name);

    [Fact]
    public void A_reversed_time_range_is_rejected() =>
        PaymentRequestQuery.Parse(n => n switch { "createdFrom" => "2026-02-01T00:00:00Z", "createdTo" => "2026-01-01T00:00:00Z", _ => null }, AcmeEnergy)
            .Errors.ShouldHaveSingleItem().Field.ShouldBe("createdTo");
}
