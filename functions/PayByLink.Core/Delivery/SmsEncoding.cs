namespace PayByLink.Core.Delivery;

public enum SmsAlphabet
{
    Gsm7,
    Ucs2,
}

/// <summary>How an SMS text is carried: its alphabet, its length in that alphabet's units, and its segments.</summary>
public sealed record SmsLength(SmsAlphabet Alphabet, int Units, int Segments);

/// <summary>
/// SMS length as networks count it (3GPP TS 23.038): GSM 7-bit when every character is in the default alphabet
/// or its extension table (extension characters take two septets), otherwise UCS-2 (UTF-16 code units).
/// One segment holds 160 septets or 70 UCS-2 units; a concatenated message 153 or 67 per segment, and neither an
/// extension character's escape nor a surrogate pair is split between segments.
/// </summary>
public static class SmsEncoding
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "\f^{}\\[~]|€";

    public static bool IsGsm7(char c) => Basic.Contains(c) || Extension.Contains(c);

    public static SmsLength Measure(string text)
    {
        var gsm = text.All(IsGsm7);
        var units = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (gsm)
            {
                units.Add(Extension.Contains(text[i]) ? 2 : 1);
            }
            else if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                units.Add(2);
                i++;
            }
            else
            {
                units.Add(1);
            }
        }

        var (single, multi) = gsm ? (160, 153) : (70, 67);
        var total = units.Sum();
        if (total <= single)
        {
            return new SmsLength(gsm ? SmsAlphabet.Gsm7 : SmsAlphabet.Ucs2, total, total == 0 ? 0 : 1);
        }

        var segments = 1;
        var used = 0;
        foreach (var unit in units)
        {
            if (used + unit > multi)
            {
                segments++;
                used = 0;
            }

            used += unit;
        }

        return new SmsLength(gsm ? SmsAlphabet.Gsm7 : SmsAlphabet.Ucs2, total, segments);
    }
}
