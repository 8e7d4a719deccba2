using System.Globalization;
using PayByLink.Core.Domain;
using PayByLink.Core.Payments;
using Stripe;
using Stripe.Checkout;

namespace PayByLink.Adapters.Payments;

/// <summary>
/// Stripe: a Checkout Session per payment (Stripe's hosted page takes the card), and the
/// <c>checkout.session.completed</c> webhook, verified with the endpoint's signing secret, as the confirmation.
/// The session carries the merchant, request and instalment in its metadata; the idempotency key
/// (<c>{requestId}.{instalment}.{window}</c>) makes a repeated Pay the same session. A session expires no later than
/// its request (<see cref="SessionTimes"/>), is expired when the request is cancelled or paid another way, and a
/// payment that still arrives after its request closed is refunded.
/// </summary>
public sealed class StripePaymentGateway(IStripeClient client, string webhookSecret, TimeProvider clock) : IPaymentGateway
{
    /// <summary>Stripe's bounds on a session's <c>expires_at</c>: at least 30 minutes away, at most 24 hours.</summary>
    public static readonly TimeSpan ShortestSession = TimeSpan.FromMinutes(30), LongestSession = TimeSpan.FromHours(24);

    /// <summary>
    /// A Pay within one of these makes the same session (its idempotency key names it), so a double click opens one;
    /// the next makes a new one, so a customer coming back later never gets a session that has expired.
    /// </summary>
    public static readonly TimeSpan SessionWindow = TimeSpan.FromMinutes(15);

    public const string ProviderName = "stripe";
    public const string SignatureHeader = "Stripe-Signature";
    private const long ToleranceSeconds = 300;

    public string Name => ProviderName;

    public string CheckoutOrigin => "https://checkout.stripe.com";

    public async Task<CheckoutSession> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var (window, expiresAt) = SessionTimes(request.PayableUntil, clock.GetUtcNow());
        var currency = Currency.Find(request.Due.Currency);
        var metadata = new Dictionary<string, string>
        {
            ["merchantId"] = request.MerchantId,
            ["requestId"] = request.RequestId,
            ["instalment"] = request.Due.Instalment?.ToString(CultureInfo.InvariantCulture) ?? "",
        };
        Session session;
        try
        {
            session = await new SessionService(client).CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            ExpiresAt = expiresAt.UtcDateTime,
            SuccessUrl = request.SuccessUrl.ToString(),
            CancelUrl = request.CancelUrl.ToString(),
            ClientReferenceId = request.RequestId,
            Metadata = metadata,
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = metadata },
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = currency.Code.ToLowerInvariant(),
                        UnitAmount = (long)(request.Due.Amount * Pow10(currency.MinorDigits)),
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = $"{request.MerchantName}: {request.Description}" },
                    },
                },
            ],
        }, new RequestOptions { IdempotencyKey = $"{request.Reference}.{window}" }, cancellationToken);
        }
        catch (Exception e) when (e is Polly.ExecutionRejectedException or HttpRequestException ||
                                  (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Timed out, unreachable, or held off by the circuit breaker after failing again and again.
            throw new PaymentProviderUnavailableException(ProviderName, e);
        }

        return new CheckoutSession(new Uri(session.Url), session.Id);
    }

    /// <summary>
    /// The window a Pay falls in (its number since the epoch), and when its session expires: when the request stops
    /// being payable, but no sooner than Stripe allows from the window's end nor later than it allows from its start,
    /// so every Pay in the window asks for the same session.
    /// </summary>
    public static (long Window, DateTimeOffset ExpiresAt) SessionTimes(DateTimeOffset payableUntil, DateTimeOffset now)
    {
        var window = now.UtcTicks / SessionWindow.Ticks;
        var start = new DateTimeOffset(window * SessionWindow.Ticks, TimeSpan.Zero);
        var earliest = start + SessionWindow + ShortestSession + TimeSpan.FromMinutes(1);
        var latest = start + LongestSession;
        var expires = payableUntil < earliest ? earliest : payableUntil > latest ? latest : payableUntil;
        return (window, new DateTimeOffset(expires.UtcTicks - expires.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero));
    }

    public async Task CloseCheckoutAsync(string checkoutId, CancellationToken cancellationToken)
    {
        try
        {
            await new SessionService(client).ExpireAsync(checkoutId, cancellationToken: cancellationToken);
        }
        catch (StripeException e) when (e.HttpStatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.NotFound)
        {
            // Already complete or expired: nothing is left to close.
        }
    }

    public async Task<string> RefundAsync(Payment payment, CancellationToken cancellationToken)
    {
        var refund = await new RefundService(client).CreateAsync(new RefundCreateOptions
        {
            PaymentIntent = payment.ProviderReference,
            Reason = "requested_by_customer",
            Metadata = new Dictionary<string, string> { ["merchantId"] = payment.MerchantId, ["requestId"] = payment.RequestId },
        }, new RequestOptions { IdempotencyKey = "refund." + payment.ProviderReference }, cancellationToken);
        return refund.Id;
    }

    public CallbackResult ReadCallback(string body, Func<string, string?> header, DateTimeOffset now)
    {
        if (header(SignatureHeader) is not { Length: > 0 } signature)
        {
            return CallbackResult.Rejected("the webhook is not signed");
        }

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(body, signature, webhookSecret, ToleranceSeconds, now.ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException e)
        {
            return CallbackResult.Rejected(e.Message);
        }

        if (stripeEvent.Type != EventTypes.CheckoutSessionCompleted || stripeEvent.Data.Object is not Session session)
        {
            return CallbackResult.Ignored(stripeEvent.Type);
        }

        if (session.PaymentStatus != "paid" || session.AmountTotal is not { } total || session.Metadata is not { } metadata ||
            !metadata.TryGetValue("merchantId", out var merchantId) || !metadata.TryGetValue("requestId", out var requestId))
        {
            return CallbackResult.Ignored($"session {session.Id} is {session.PaymentStatus}");
        }

        var currency = Currency.Find(session.Currency.ToUpperInvariant());
        int? instalment = metadata.TryGetValue("instalment", out var n) && int.TryParse(n, CultureInfo.InvariantCulture, out var number) ? number : null;
        return CallbackResult.Confirmed(new ConfirmedPayment(stripeEvent.Id, session.PaymentIntentId ?? session.Id, merchantId, requestId, instalment,
            total / Pow10(currency.MinorDigits), currency.Code, stripeEvent.Created));
    }

    private static decimal Pow10(int digits) => (decimal)Math.Pow(10, digits);
}
