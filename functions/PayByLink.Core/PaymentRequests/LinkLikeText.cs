using System.Text;
using System.Text.RegularExpressions;

namespace PayByLink.Core.PaymentRequests;

/// <summary>
/// Text that a phone or mail program would show as a link, or a reader would take for one: a scheme
/// (<c>https://</c>, <c>mailto:</c>), <c>www.</c>, or a domain name ending in a top-level domain people meet
/// (<c>pay-now.com</c>, <c>council.gov.uk</c>). The only link in a PayByLink message is PayByLink's own, so a
/// merchant's text (or a leaked key's) cannot put a look-alike one beside it. Width and compatibility forms are
/// folded first, so a full-width dot (<c>evil．com</c>) reads as the dot it looks like.
/// </summary>
public static partial class LinkLikeText
{
    /// <summary>
    /// Top-level domains checked for: the generic ones in common use and in phishing reports, and the
    /// country codes (every two-letter ISO 3166 code is, or may become, one).
    /// </summary>
    private const string GenericDomains =
        "com|net|org|info|biz|io|co|app|dev|xyz|online|site|top|shop|store|link|click|live|life|vip|club|win|bid|loan|" +
        "icu|cyou|sbs|cfd|bond|rest|support|help|services|finance|money|pay|bank|gov|edu|mobi|pro|tel|name|page|" +
        "website|space|tech|cloud|email|digital|today|world|ltd|plc|cymru|wales|scot|london|uk|eu|asia";

    [GeneratedRegex(
        @"(?<![\p{L}\p{N}])(?:[a-z][a-z0-9+.-]*://|(?:https?|mailto|tel|sms|smsto|javascript|data|file|ftp|whatsapp|intent):(?=\S)|www\.)" +
        @"|(?<![\p{L}\p{N}-])[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*" +
        @"\.(?:" + GenericDomains + @"|[a-z]{2})(?![\p{L}\p{N}])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 250)]
    private static partial Regex LinkPattern();

    /// <summary>The first part of the text that reads as a link, as folded; null when none does.</summary>
    public static string? FindLink(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC).Replace('\u3002', '.');
        try
        {
            if (LinkPattern().Match(folded) is not { Success: true } match)
            {
                return null;
            }

            // The whole word the link is in, as a reader sees it ("www.evil-pay.com", not "www.").
            var (start, end) = (match.Index, match.Index + match.Length);
            while (start > 0 && !char.IsWhiteSpace(folded[start - 1]))
            {
                start--;
            }

            while (end < folded.Length && !char.IsWhiteSpace(folded[end]))
            {
                end++;
            }

            return folded[start..end];
        }
        catch (RegexMatchTimeoutException)
        {
            return folded;
        }
    }
}
