using PayByLink.Core.Batches;

namespace PayByLink.Core.Tests.Batches;

public class BatchFileMessagesTests
{
    private static readonly BatchHeader Header = new(["ClientTransactionRef", "MobileNumber", "Email", "Channels"]);

    [Theory]
    [InlineData("07700 900123", "", "", true, false)]
    [InlineData("", "jane@example.com", "", false, true)]
    [InlineData("07700 900123", "jane@example.com", "", true, true)]
    [InlineData("07700 900123", "jane@example.com", "email", false, true)]
    [InlineData("07700 900123", "jane@example.com", "SMS; email", true, true)]
    [InlineData("", "jane@example.com", "sms", false, false)]
    public void A_record_asks_for_a_message_on_each_channel_it_can_reach_and_names(string mobile, string email, string channels, bool sms, bool mail) =>
        BatchFile.Messages(Header, new CsvRecord(2, ["R-1", mobile, email, channels], "", null, null)).ShouldBe((sms, mail));

    [Fact]
    public void A_malformed_record_asks_for_nothing() =>
        BatchFile.Messages(Header, new CsvRecord(2, ["R-1", "07700 900123"], "", "bad_quote", "A stray quote.")).ShouldBe((false, false));
}
