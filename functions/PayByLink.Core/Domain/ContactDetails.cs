using System.Net.Mail;
using PhoneNumbers;

namespace PayByLink.Core.Domain;

/// <summary>Validation and normalisation of the ways a customer can be reached.</summary>
public static class ContactDetails
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Normalises a mobile number to E.164. National numbers are read in <paramref name="defaultRegion"/>
    /// (so the UK's 07700 900123 becomes +447700900123). Only numbers that can receive SMS pass.
    /// </summary>
    public static bool TryNormaliseMobile(string? input, string defaultRegion, out string e164, out string? problem)
    {
        e164 = "";
        problem = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            problem = "A mobile number is required.";
            return false;
        }

        if (input.Length > 32)
        {
            problem = "Not a valid mobile number.";
            return false;
        }

        PhoneNumber parsed;
        try
        {
            parsed = Phones.Parse(input, defaultRegion);
        }
        catch (NumberParseException)
        {
            problem = "Not a valid mobile number.";
            return false;
        }

        if (IsReservedForDrama(parsed))
        {
            e164 = Phones.Format(parsed, PhoneNumberFormat.E164);
            return true;
        }

        if (!Phones.IsValidNumber(parsed))
        {
            problem = "Not a valid mobile number.";
            return false;
        }

        var type = Phones.GetNumberType(parsed);
        if (type is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE))
        {
            problem = "The number cannot receive SMS: a mobile number is required.";
            return false;
        }

        e164 = Phones.Format(parsed, PhoneNumberFormat.E164);
        return true;
    }

    /// <summary>
    /// Ofcom keeps 07700 900000–900999 for drama and testing: mobile-shaped numbers that reach nobody, so
    /// they are accepted (libphonenumber calls them invalid) for demos and tests.
    /// </summary>
    private static bool IsReservedForDrama(PhoneNumber number) =>
        number.CountryCode == 44 && number.NationalNumber is >= 7700900000 and <= 7700900999;

    /// <summary>Validates an email address and lower-cases its domain (the local part is case-sensitive).</summary>
    public static bool TryNormaliseEmail(string? input, out string email)
    {
        email = "";
        var candidate = input?.Trim();
        if (string.IsNullOrEmpty(candidate) || candidate.Length > 254 || candidate.Any(char.IsWhiteSpace))
        {
            return false;
        }

        if (!MailAddress.TryCreate(candidate, out var address) || address.Address != candidate ||
            !string.IsNullOrEmpty(address.DisplayName))
        {
            return false;
        }

        var at = candidate.LastIndexOf('@');
        var local = candidate[..at];
        var domain = candidate[(at + 1)..].ToLowerInvariant();
        if (local.Length is 0 or > 64 || !domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.') ||
            domain.Contains("..") || domain.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-')))
        {
            return false;
        }

        email = local + "@" + domain;
        return true;
    }

    /// <summary>The one place personal contact details are formatted for logs: enough to tell them apart, never the whole.</summary>
    public static string Mask(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var at = value.IndexOf('@');
        if (at > 0)
        {
            return value[0] + "***@" + (value.Length > at + 1 ? value[at + 1] + "***" : "***");
        }

        return value.Length <= 4 ? "***" : value[..Math.Min(3, value.Length - 4)] + "***" + value[^3..];
    }
}
