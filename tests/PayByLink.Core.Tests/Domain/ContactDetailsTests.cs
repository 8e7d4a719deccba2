using PayByLink.Core.Domain;

namespace PayByLink.Core.Tests.Domain;

public class ContactDetailsTests
{
    [Theory]
    [InlineData("07700 900123", "+447700900123")]
    [InlineData("+44 7700 900123", "+447700900123")]
    [InlineData("07911 123456", "+447911123456")]
    [InlineData("(07911) 123-456", "+447911123456")]
    [InlineData("+33 6 12 34 56 78", "+33612345678")]
    public void Mobile_numbers_are_normalised_to_E164(string input, string expected)
    {
        ContactDetails.TryNormaliseMobile(input, "GB", out var e164, out _).ShouldBeTrue();
        e164.ShouldBe(expected);
    }

    [Theory]
    [InlineData("0207 946 0000")] // a London landline cannot receive SMS
    [InlineData("12345")]
    [InlineData("not a number")]
    [InlineData("+44 7911 12345678901")]
    public void Numbers_that_cannot_receive_SMS_are_rejected(string input) =>
        ContactDetails.TryNormaliseMobile(input, "GB", out _, out var problem).ShouldBeFalse(problem);

    [Theory]
    [InlineData("jane@example.com", "jane@example.com")]
    [InlineData(" Jane.Smith@Example.COM ", "Jane.Smith@example.com")]
    public void Emails_are_validated_and_their_domain_lower_cased(string input, string expected)
    {
        ContactDetails.TryNormaliseEmail(input, out var email).ShouldBeTrue();
        email.ShouldBe(expected);
    }

    [Theory]
    [InlineData("jane")]
    [InlineData("jane@")]
    [InlineData("jane@localhost")]
    [InlineData("Jane <jane@example.com>")]
    [InlineData("jane smith@example.com")]
    [InlineData("jane@exa mple.com")]
    [InlineData("jane@example..com")]
    public void Malformed_emails_are_rejected(string input) =>
        ContactDetails.TryNormaliseEmail(input, out _).ShouldBeFalse();

    [Theory]
    [InlineData("+447700900123", "+44***123")]
    [InlineData("jane.smith@example.com", "j***@e***")]
    public void Masking_never_shows_the_whole_value(string value, string masked) =>
        ContactDetails.Mask(value).ShouldBe(masked);
}
