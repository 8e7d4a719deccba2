using System.Globalization;
using Microsoft.AspNetCore.Http;
using PayByLink.Core.Limits;

namespace PayByLink.Http;

/// <summary>
/// The key's rate on every answer, in the fields of the IETF draft <c>draft-ietf-httpapi-ratelimit-headers</c>:
/// <c>RateLimit-Policy: "per-key";q=100;w=2</c> (a quota of the burst, refilled over w seconds) and
/// <c>RateLimit: "per-key";r=97;t=1</c> (requests left now; seconds until the bucket is full again).
/// </summary>
public static class RateLimitHeaders
{
    public const string Policy = "per-key";

    public static void Write(IHeaderDictionary headers, MerchantLimits limits, RateDecision decision)
    {
        var window = Math.Max(1, (int)Math.Ceiling((double)limits.Burst / limits.RequestsPerSecond));
        headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"\"{Policy}\";q={limits.Burst};w={window}");
        headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture,
            $"\"{Policy}\";r={decision.Remaining};t={(int)Math.Ceiling(decision.UntilFull.TotalSeconds)}");
    }
}
