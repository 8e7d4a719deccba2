using PayByLink.Core.Ports;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PayByLink.Core.Payments;

namespace PayByLink.Adapters.Payments;

/// <summary>
/// The built-in test gateway, for the local runtime and tests only: its checkout is a clearly labelled page of this
/// suite with Approve and Decline, and it calls back exactly as a provider does, with a body signed by HMAC-SHA256
/// over <c>{timestamp}.{body}</c> in the <see cref="SignatureHeader"/> header (<c>t=…,v1=…</c>). Checkout sessions
/// are signed too, so the page cannot be talked into approving another amount.
/// </summary>
public sealed class TestPaymentGateway(Uri publicBaseUrl, byte[] signingKey, IHttpClientFactory clients) : IPaymentGateway
{
    public const string ProviderName = "test";
    public const string SignatureHeader = "PayByLink-Test-Signature";
    public const string CallbackPath = "/api/payments/callback/" + ProviderName;
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly string _base = publicBaseUrl.ToString().TrimEnd('/');

    public string Name => ProviderName;

    public string CheckoutOrigin => new Uri(_base).GetLeftPart(UriPartial.Authority);

    public Task<CheckoutSession> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var session = new TestCheckoutSession(request.Reference, request.MerchantId, request.RequestId, request.MerchantName, request.Description,
            request.Due.Instalment, request.Due.Amount, request.Due.Currency, request.SuccessUrl.ToString(), request.CancelUrl.ToString());
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(session, StoredJson.Options));
        var id = $"{payload}.{Base64Url.EncodeToString(Sign(payload))}";
        return Task.FromResult(new CheckoutSession(new Uri($"{_base}/test-gateway/{id}"), request.Reference));
    }

    /// <summary>The test gateway's checkouts live only in their signed URL: there is nothing to close.</summary>
    public Task CloseCheckoutAsync(string checkoutId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Refunds as a provider would, once per payment: the refund's id is the payment's.</summary>
    public Task<string> RefundAsync(Payment payment, CancellationToken cancellationToken) =>
        Task.FromResult("tgr_" + payment.ProviderReference);

    /// <summary>The checkout session an id names, or null when its signature does not hold.</summary>
    public TestCheckoutSession? ReadSession(string id)
    {
        var parts = id.Split('.');
        if (parts.Length != 2 || !Base64Url.IsValid(parts[0]) || !Base64Url.IsValid(parts[1]) ||
            !CryptographicOperations.FixedTimeEquals(Base64Url.DecodeFromChars(parts[1]), Sign(parts[0])))
        {
            return null;
        }

        return JsonSerializer.Deserialize<TestCheckoutSession>(Base64Url.DecodeFromChars(parts[0]), StoredJson.Options);
    }

    /// <summary>What the provider does when the customer approves or declines: a signed callback to the suite.</summary>
    public async Task SendCallbackAsync(TestCheckoutSession session, bool approved, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new TestCallback(
            "evt_" + RandomNumberGenerator.GetHexString(24, lowercase: true), approved ? "payment.succeeded" : "payment.failed", now.ToUnixTimeSeconds(),
            new TestCallbackPayment("tgp_" + RandomNumberGenerator.GetHexString(24, lowercase: true), session.MerchantId, session.RequestId,
                session.Instalment, session.Amount, session.Currency)), StoredJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, _base + CallbackPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(SignatureHeader, SignatureFor(body, now));
        using var response = await clients.CreateClient(ProviderName).SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The signature header for a body sent at <paramref name="at"/>.</summary>
    public string SignatureFor(string body, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Convert.ToHexStringLower(Sign($"{timestamp}.{body}"))}";
    }

    public CallbackResult ReadCallback(string body, Func<string, string?> header, DateTimeOffset now)
    {
        if (header(SignatureHeader) is not { Length: > 0 } signature)
        {
            return CallbackResult.Rejected("the callback is not signed");
        }

        var fields = signature.Split(',').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0].Trim(), f => f[1].Trim());
        if (!fields.TryGetValue("t", out var t) || !long.TryParse(t, CultureInfo.InvariantCulture, out var seconds) ||
            !fields.TryGetValue("v1", out var v1) || !TryHex(v1, out var given))
        {
            return CallbackResult.Rejected("the signature header is malformed");
        }

        if (!CryptographicOperations.FixedTimeEquals(given, Sign($"{t}.{body}")))
        {
            return CallbackResult.Rejected("the signature does not match");
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return CallbackResult.Rejected("the callback is stale");
        }

        TestCallback? callback;
        try
        {
            callback = JsonSerializer.Deserialize<TestCallback>(body, StoredJson.Options);
        }
        catch (JsonException)
        {
            return CallbackResult.Rejected("the body is not a callback");
        }

        if (callback?.Data is not { } data)
        {
            return CallbackResult.Rejected("the body is not a callback");
        }

        return callback.Type == "payment.succeeded"
            ? CallbackResult.Confirmed(new ConfirmedPayment(callback.Id, data.Reference, data.MerchantId, data.RequestId, data.Instalment, data.Amount,
                data.Currency, DateTimeOffset.FromUnixTimeSeconds(callback.Created)))
            : CallbackResult.Ignored($"{callback.Type} for {data.RequestId}");
    }

    private byte[] Sign(string text) => HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(text));

    private static bool TryHex(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}

public sealed record TestCheckoutSession(
    string Reference,
    string MerchantId,
    string RequestId,
    string MerchantName,
    string Description,
    int? Instalment,
    decimal Amount,
    string Currency,
    string SuccessUrl,
    string CancelUrl);

public sealed record TestCallback(string Id, string Type, long Created, TestCallbackPayment? Data);

public sealed record TestCallbackPayment(string Reference, string MerchantId, string RequestId, int? Instalment, decimal Amount, string Currency);
