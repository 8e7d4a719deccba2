using System.Globalization;

namespace PayByLink.Core.Domain;

/// <summary>The one canonical text form of an amount: used in keys, filters and idempotency fingerprints.</summary>
public static class Amounts
{
    public static string Canonical(decimal amount) =>
        amount.ToString("0.############################", CultureInfo.InvariantCulture);

    public static decimal Parse(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
