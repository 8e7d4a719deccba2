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
/// (<c>{requestId}.{instalment}</c>) makes a repeated Pay the same session.
/// </summary>
public sealed class StripePaymentGateway(IStripeClient client, string webhookSecret) : IPaymentGateway
{
    public const string ProviderName = "stripe";
    public const string SignatureHeader = "Stripe-Signature";
    private const long ToleranceSeconds = 300;

    public string Name => ProviderName;

    public string CheckoutOrigin => "https://checkout.stripe.com";

    public async Task<Uri> StartCheckoutAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
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
        }, new RequestOptions { IdempotencyKey = request.Reference }, cancellationToken);
        }
        catch (Exception e) when (e is Polly.ExecutionRejectedException or HttpRequestException ||
                                  (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Timed out, unreachable, or held off by the circuit breaker after failing again and again.
            throw new PaymentProviderUnavailableException(ProviderName, e);
        }

        return new Uri(session.Url);
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
