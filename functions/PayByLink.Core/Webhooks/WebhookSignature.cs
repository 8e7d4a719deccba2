using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PayByLink.Core.Webhooks;

/// <summary>
/// <c>PayByLink-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")&gt;</c>, one
/// <c>v1</c> per signing secret.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "PayByLink-Signature";
    public const string EventIdHeader = "PayByLink-Event-Id";

    /// <summary>How old a signature a receiver should accept.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(IReadOnlyList<string> secrets, DateTimeOffset at, byte[] body)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t}," + string.Join(",", secrets.Select(s => "v1=" + Hmac(s, t, body)));
    }

    /// <summary>Whether the header signs the body with the secret, within the tolerance of <paramref name="now"/>; why not, when not.</summary>
    public static (bool Valid, string? Reason) Verify(string? header, byte[] body, string secret, DateTimeOffset now)
    {
        string? t = null;
        var signatures = new List<string>();
        foreach (var part in (header ?? "").Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length == 2 && kv[0].Trim() == "t")
            {
                t = kv[1].Trim();
            }
            else if (kv.Length == 2 && kv[0].Trim() == "v1")
            {
                signatures.Add(kv[1].Trim());
            }
        }

        if (t is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || signatures.Count == 0)
        {
            return (false, "no t= and v1= in the signature header");
        }

        var expected = Encoding.ASCII.GetBytes(Hmac(secret, t, body));
        if (!signatures.Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected)))
        {
            return (false, "no v1 signature matches the secret");
        }

        return (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance
            ? (false, "the timestamp is outside the tolerance")
            : (true, null);
    }

    private static string Hmac(string secret, string t, byte[] body)
    {
        var payload = new byte[t.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(t, payload);
        payload[t.Length] = (byte)'.';
        body.CopyTo(payload, t.Length + 1);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));
    }
}
