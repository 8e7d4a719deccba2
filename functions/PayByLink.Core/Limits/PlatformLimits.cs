using PayByLink.Core.Domain;

namespace PayByLink.Core.Limits;

/// <summary>
/// The limits of a merchant without its own: <see cref="MerchantLimits.Default"/>, or the platform's settings
/// (<c>Limits__RequestsPerSecond</c>, <c>Limits__Burst</c>, <c>Limits__DailySms</c>, <c>Limits__DailyEmails</c>).
/// </summary>
public sealed record PlatformLimits(MerchantLimits Defaults)
{
    public static readonly PlatformLimits Standard = new(MerchantLimits.Default);

    public MerchantLimits For(Merchant merchant) => merchant.OwnLimits ?? Defaults;
}
