using System.Globalization;
using PayByLink.Core.Domain;

namespace PayByLink.Core.Reporting;

/// <summary>
/// A range of a merchant's days, both ends included, as the API and the console take it: <c>from</c> and <c>to</c>
/// as <c>yyyy-MM-dd</c> in the merchant's time zone, the last 7 days when both are absent, at most
/// <see cref="MerchantStats.MaxDays"/> days, not after today.
/// </summary>
public sealed record StatsRange(DateOnly From, DateOnly To)
{
    public const int DefaultDays = 7;

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The <paramref name="days"/> days up to and including the merchant's today.</summary>
    public static StatsRange Last(Merchant merchant, int days, DateTimeOffset now)
    {
        var today = merchant.LocalDate(now);
        return new StatsRange(today.AddDays(1 - days), today);
    }

    public static ValidationResult<StatsRange> Parse(Merchant merchant, string? from, string? to, DateTimeOffset now)
    {
        var today = merchant.LocalDate(now);
        var errors = new FieldErrors();
        var end = Day("to", to, errors) ?? today;
        var start = Day("from", from, errors) ?? (string.IsNullOrEmpty(to) ? today.AddDays(1 - DefaultDays) : end.AddDays(1 - DefaultDays));
        if (errors.Any)
        {
            return ValidationResult<StatsRange>.Invalid(errors.All);
        }

        if (end > today)
        {
            errors.Add("to", "in_the_future", $"to must not be after today ({Text(today)} in {merchant.TimeZone}).");
        }
        else if (start > end)
        {
            errors.Add("from", "after_to", "from must not be after to.");
        }
        else if (end.DayNumber - start.DayNumber + 1 > MerchantStats.MaxDays)
        {
            errors.Add("from", "range_too_long", $"The range can be at most {MerchantStats.MaxDays} days.");
        }

        return errors.Any ? ValidationResult<StatsRange>.Invalid(errors.All) : ValidationResult<StatsRange>.Valid(new StatsRange(start, end));
    }

    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly? Day(string field, string? text, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add(field, "invalid_date", $"{field} must be a date as yyyy-MM-dd.");
        return null;
    }
}
