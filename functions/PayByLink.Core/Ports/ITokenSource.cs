namespace PayByLink.Core.Ports;

/// <summary>The one source of ids, tokens and keys: all from a cryptographic random number generator.</summary>
public interface ITokenSource
{
    string NewRequestId();

    /// <summary>
    /// A payment-page token: its link's short code, so that one row finds both, then 33 base64url characters
    /// (198 random bits), <see cref="PaymentTokenLength"/> characters in all.
    /// </summary>
    string NewPaymentToken(string shortCode);

    const int PaymentTokenLength = 43;

    /// <summary>A short-link code: 10 base62 characters (about 59.5 random bits).</summary>
    string NewShortCode();

    /// <summary>A merchant subscription key: 256 random bits.</summary>
    string NewApiKey();

    /// <summary>A batch id that sorts newest first: the time counted down, then 80 random bits.</summary>
    string NewBatchId(DateTimeOffset now);

    /// <summary>A webhook endpoint id: <c>we_</c> and 100 random bits.</summary>
    string NewWebhookEndpointId();

    /// <summary>A webhook signing secret: <c>whsec_</c> and 256 random bits.</summary>
    string NewWebhookSecret();
}
