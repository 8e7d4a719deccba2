using System.Security.Cryptography;

namespace PayByLink.Core.Ports;

public sealed class RandomTokenSource : ITokenSource
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string Base32 = "0123456789abcdefghjkmnpqrstvwxyz";

    public string NewRequestId() => "pr_" + RandomNumberGenerator.GetString(Base32, 26);

    public string NewPaymentToken(string shortCode) => shortCode + Base64Url(25)[..(ITokenSource.PaymentTokenLength - shortCode.Length)];

    public string NewShortCode() => RandomNumberGenerator.GetString(Base62, 10);

    public string NewApiKey() => "pbl_" + Base64Url(32);

    public string NewBatchId(DateTimeOffset now)
    {
        // Seconds left until 9999-12-31 in fixed-width base32: later batches get smaller ids.
        var remaining = (ulong)(DateTimeOffset.MaxValue - now).TotalSeconds;
        var countdown = new char[8];
        for (var i = countdown.Length - 1; i >= 0; i--, remaining /= 32)
        {
            countdown[i] = Base32[(int)(remaining % 32)];
        }

        return "b_" + new string(countdown) + RandomNumberGenerator.GetString(Base32, 16);
    }

    public string NewWebhookEndpointId() => "we_" + RandomNumberGenerator.GetString(Base32, 20);

    public string NewWebhookSecret() => "whsec_" + Base64Url(32);

    private static string Base64Url(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
