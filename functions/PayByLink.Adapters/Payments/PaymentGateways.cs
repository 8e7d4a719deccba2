using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Microsoft.Extensions.Options;
using PayByLink.Core.Payments;
using Stripe;

namespace PayByLink.Adapters.Payments;

/// <summary>
/// The payment gateway named by <c>Payments__Gateway</c>: <c>stripe</c> (with <c>Stripe__SecretKey</c> and
/// <c>Stripe__WebhookSecret</c>; <c>Stripe__ApiBase</c> points it elsewhere, as tests do), or <c>test</c>, the
/// built-in test gateway the local runtime uses (signing with <c>TestGateway__SigningKey</c>, or a key of its own).
/// </summary>
public static class PaymentGateways
{
    public const string GatewaySetting = "Payments:Gateway";

    /// <summary>The test gateway takes no real money and signs with a key of its own: it never runs in Azure.</summary>
    public static bool IsAllowed(IConfiguration configuration) =>
        !(string.Equals(configuration[GatewaySetting]?.Trim(), TestPaymentGateway.ProviderName, StringComparison.OrdinalIgnoreCase) &&
          HostedInAzure.Is(configuration));

    public const string NotAllowedMessage =
        "Payments:Gateway is test, which takes no real payments and does not run in Azure: set it to stripe.";

    /// <summary>
    /// The HTTP client Stripe's calls go through: each try has <c>Stripe__Timeout</c> (10 s) to answer, and after most
    /// tries of half a minute fail the circuit opens for 15 s, so a page asking for a checkout is told at once that the
    /// provider is not answering instead of waiting on it.
    /// </summary>
    public static void AddStripeClient(IServiceCollection services, IConfiguration configuration)
    {
        var timeout = configuration.GetValue("Stripe:Timeout", TimeSpan.FromSeconds(10));
        services.AddHttpClient(StripePaymentGateway.ProviderName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("stripe", pipeline => pipeline
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 4,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = TimeSpan.FromSeconds(15),
                })
                .AddTimeout(timeout));
    }

    public static IPaymentGateway Create(IConfiguration configuration, Uri publicBaseUrl, IHttpClientFactory clients)
    {
        if (!IsAllowed(configuration))
        {
            throw new OptionsValidationException(GatewaySetting, typeof(IPaymentGateway), [NotAllowedMessage]);
        }

        switch (configuration[GatewaySetting]?.Trim().ToLowerInvariant())
        {
            case StripePaymentGateway.ProviderName:
                var secretKey = Required(configuration, "Stripe:SecretKey");
                var webhookSecret = Required(configuration, "Stripe:WebhookSecret");
                var apiBase = configuration["Stripe:ApiBase"];
                // Stripe's client retries a failed call itself (with its idempotency key): each try goes through the
                // named client's timeout and circuit breaker (AddStripeClient).
                var http = new SystemNetHttpClient(clients.CreateClient(StripePaymentGateway.ProviderName), maxNetworkRetries: 2);
                var client = new StripeClient(secretKey, httpClient: http, apiBase: string.IsNullOrWhiteSpace(apiBase) ? null : apiBase);
                return new StripePaymentGateway(client, webhookSecret, TimeProvider.System);
            case TestPaymentGateway.ProviderName:
                var key = configuration["TestGateway:SigningKey"] is { Length: > 0 } configured
                    ? Convert.FromBase64String(configured)
                    : RandomNumberGenerator.GetBytes(32);
                return new TestPaymentGateway(publicBaseUrl, key, clients);
            default:
                throw new OptionsValidationException(GatewaySetting, typeof(IPaymentGateway),
                    ["Set Payments__Gateway to stripe (with Stripe__SecretKey and Stripe__WebhookSecret), or to test on a developer machine."]);
        }
    }

    private static string Required(IConfiguration configuration, string name) =>
        configuration[name] is { Length: > 0 } value
            ? value
            : throw new OptionsValidationException(name, typeof(IPaymentGateway), [$"Set {name.Replace(":", "__")} for the Stripe gateway."]);
}
