namespace PayByLink.Core.Limits;

/// <summary>
/// What one merchant may do: each API key's request rate (a token bucket: <see cref="RequestsPerSecond"/> refilled,
/// up to <see cref="Burst"/> at once), and the messages its requests and batches may send in one of its days, by
/// channel. The admin command <c>merchant limits</c> sets them; a merchant without its own has the defaults.
/// </summary>
public sealed record MerchantLimits(int RequestsPerSecond, int Burst, int DailySms, int DailyEmails)
{
    public static readonly MerchantLimits Default = new(50, 100, 20_000, 20_000);

    public const int MaxRequestsPerSecond = 10_000;
    public const int MaxDailyMessages = 10_000_000;

    /// <summary>What is wrong with these limits, or null.</summary>
    public string? Problem() =>
        RequestsPerSecond is < 1 or > MaxRequestsPerSecond ? $"The request rate is 1 to {MaxRequestsPerSecond:N0} per second."
        : Burst < 1 || Burst > MaxRequestsPerSecond * 10 ? $"The burst is 1 to {MaxRequestsPerSecond * 10:N0} requests."
        : DailySms is < 0 or > MaxDailyMessages || DailyEmails is < 0 or > MaxDailyMessages
            ? $"A daily cap is 0 to {MaxDailyMessages:N0} messages."
            : null;

    public int DailyCap(Domain.Channel channel) => channel == Domain.Channel.Sms ? DailySms : DailyEmails;
}
