namespace PayByLink.Core.Domain;

/// <summary>An ISO 4217 currency this product can take payments in, with its minor-unit digits and symbol.</summary>
public sealed record Currency(string Code, int MinorDigits, string Symbol)
{
    public static readonly Currency Gbp = new("GBP", 2, "£");

    private static readonly Dictionary<string, Currency> Known = new[]
    {
        Gbp,
        new Currency("EUR", 2, "€"),
        new Currency("USD", 2, "$"),
        new Currency("AUD", 2, "A$"),
        new Currency("CAD", 2, "C$"),
        new Currency("NZD", 2, "NZ$"),
        new Currency("CHF", 2, "CHF "),
        new Currency("SEK", 2, "kr "),
        new Currency("NOK", 2, "kr "),
        new Currency("DKK", 2, "kr "),
        new Currency("PLN", 2, "zł "),
        new Currency("JPY", 0, "¥"),
        new Currency("BHD", 3, "BHD "),
        new Currency("KWD", 3, "KWD "),
    }.ToDictionary(c => c.Code, StringComparer.Ordinal);

    public static bool TryFind(string? code, out Currency currency)
    {
        currency = null!;
        return code is not null && Known.TryGetValue(code.Trim().ToUpperInvariant(), out currency!);
    }

    public static Currency Find(string code) =>
        TryFind(code, out var currency) ? currency : throw new ArgumentException($"Unsupported currency '{code}'.", nameof(code));

    /// <summary>How many minor digits an amount uses (1.50 has 1 significant decimal, 1.505 has 3).</summary>
    public bool FitsMinorDigits(decimal amount) => decimal.Round(amount, MinorDigits) == amount;

    /// <summary>The amount written with exactly the currency's minor digits (120.5 → 120.50 in GBP, 1200 in JPY), as the API shows money.</summary>
    public decimal WithMinorDigits(decimal amount) =>
        decimal.Parse(amount.ToString("F" + MinorDigits, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><see cref="WithMinorDigits(decimal)"/> for a currency code; an unknown code leaves the amount as it is.</summary>
    public static decimal WithMinorDigits(decimal amount, string code) => TryFind(code, out var currency) ? currency.WithMinorDigits(amount) : amount;

    public string Format(decimal amount) =>
        Symbol + amount.ToString("N" + MinorDigits, System.Globalization.CultureInfo.InvariantCulture);
}
