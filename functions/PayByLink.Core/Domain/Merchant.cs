namespace PayByLink.Core.Domain;

/// <summary>A business that sends payment links. Its display name is what customers see.</summary>
public sealed record Merchant(
    string Id,
    string DisplayName,
    string Currency,
    decimal MaxAmount,
    string TimeZone = Merchant.DefaultTimeZone,
    string PhoneRegion = Merchant.DefaultPhoneRegion,
    Limits.MerchantLimits? OwnLimits = null,
    Retention? OwnRetention = null,
    Merchants.MerchantSettings? OwnSettings = null)
{
    public const string DefaultTimeZone = "Europe/London";
    public const string DefaultPhoneRegion = "GB";
    public const int MaxActiveKeys = 2;

    /// <summary>Its message wording, quiet hours and default reminders: its own, or the defaults.</summary>
    public Merchants.MerchantSettings Settings => OwnSettings ?? Merchants.MerchantSettings.Default;

    /// <summary>How long its customers' personal data is kept: its own settings, or the defaults.</summary>
    public Retention Retention => OwnRetention ?? Retention.Default;

    /// <summary>The merchant's time zone: its customers read dates in it, and its sends keep its quiet hours.</summary>
    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>A moment as the merchant's customers read it, with the zone named: "1 December 2026, 09:30 Greenwich Mean Time".</summary>
    public string LocalTime(DateTimeOffset at)
    {
        var zone = Zone();
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var name = zone.IsDaylightSavingTime(local) ? zone.DaylightName : zone.StandardName;
        return local.ToString("d MMMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " " + name;
    }

    /// <summary>The merchant's calendar date at a moment.</summary>
    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone()).DateTime);

    /// <summary>A date and time on the merchant's clocks, as a moment.</summary>
    public DateTimeOffset AtLocal(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, Zone().GetUtcOffset(local));
    }

    public static bool IsValidId(string? id) =>
        id is { Length: >= 3 and <= 40 } && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') &&
        !id.StartsWith('-') && !id.EndsWith('-');
}

/// <summary>A subscription key as stored: only its SHA-256 hash, never the key itself.</summary>
public sealed record ApiKeyRecord(
    string KeyId,
    string MerchantId,
    byte[] Hash,
    string Hint,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt = null)
{
    public bool IsActive => RevokedAt is null;
}
