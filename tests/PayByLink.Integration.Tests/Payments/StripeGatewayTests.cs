using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PayByLink.Adapters.Payments;
using PayByLink.Core.Domain;
using PayByLink.Core.Payments;
using PayByLink.Core.Ports;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Payments;

/// <summary>
/// The Stripe adapter against a stand-in for the Stripe API on 127.0.0.1 (Stripe.net pointed at it with its API
/// base), and webhooks signed the way Stripe signs them.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class StripeGatewayTests(SuiteFixture suite) : IAsyncLifetime
{
    private const string WebhookSecret = "whsec_test_secret_for_the_stand_in";
    private readonly ConcurrentQueue<(IFormCollection Form, Dictionary<string, string> Headers)> _sessions = new();
    private readonly ConcurrentQueue<string> _expired = new();
    private readonly ConcurrentQueue<(IFormCollection Form, Dictionary<string, string> Headers)> _refunds = new();
    private WebApplication _stripe = null!;
    private volatile bool _silent;
    private int _heldCalls;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Azurite.FreePort()}");
        _stripe = builder.Build();
        _stripe.MapPost("/v1/checkout/sessions", async (HttpRequest request) =>
        {
            if (_silent)
            {
                // Stripe not answering: the request is held until the caller gives up on it.
                Interlocked.Increment(ref _heldCalls);
                await Task.Delay(Timeout.Infinite, request.HttpContext.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.StatusCode(504);
            }

            var form = await request.ReadFormAsync();
            _sessions.Enqueue((form, request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            var id = "cs_test_" + Guid.NewGuid().ToString("N");
            return Results.Json(new { id, @object = "checkout.session", url = $"https://checkout.stripe.com/c/pay/{id}", payment_status = "unpaid" });
        });
        _stripe.MapPost("/v1/checkout/sessions/{id}/expire", (string id) =>
        {
            _expired.Enqueue(id);
            return Results.Json(new { id, @object = "checkout.session", status = "expired" });
        });
        _stripe.MapPost("/v1/refunds", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            _refunds.Enqueue((form, request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            return Results.Json(new { id = "re_" + form["payment_intent"].ToString()[3..], @object = "refund", status = "succeeded" });
        });
        await _stripe.StartAsync();

        _services = suite.FunctionAppServices(new()
        {
            ["Payments:Gateway"] = "stripe",
            ["Stripe:SecretKey"] = "sk_test_stand_in",
            ["Stripe:WebhookSecret"] = WebhookSecret,
            ["Stripe:ApiBase"] = _stripe.Urls.Single(),
            ["Stripe:Timeout"] = "00:00:01",
        });
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    private static string Sign(string payload, DateTimeOffset at, string secret = WebhookSecret)
    {
        var timestamp = at.ToUnixTimeSeconds();
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}")));
        return $"t={timestamp},v1={signature}";
    }

    private static string SessionCompleted(string merchantId, string requestId, long amountTotal, string paymentStatus = "paid",
        string? paymentIntent = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = "evt_" + Guid.NewGuid().ToString("N"),
            ["object"] = "event",
            ["api_version"] = "2025-01-27.acacia",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["type"] = "checkout.session.completed",
            ["data"] = new Dictionary<string, object?>
            {
                ["object"] = new Dictionary<string, object?>
                {
                    ["id"] = "cs_test_" + Guid.NewGuid().ToString("N"),
                    ["object"] = "checkout.session",
                    ["payment_status"] = paymentStatus,
                    ["amount_total"] = amountTotal,
                    ["currency"] = "gbp",
                    ["payment_intent"] = paymentIntent ?? "pi_" + Guid.NewGuid().ToString("N")[..16],
                    ["client_reference_id"] = requestId,
                    ["metadata"] = new Dictionary<string, string> { ["merchantId"] = merchantId, ["requestId"] = requestId, ["instalment"] = "" },
                },
            },
        });

    [Fact]
    public async Task Pay_opens_a_checkout_session_for_the_amount_due_with_its_return_urls_and_an_idempotency_key()
    {
        var merchant = await suite.NewMerchantAsync();
        var created = await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync();
        var token = new Uri(created.Str("longUrl")).Segments[^1];

        var (_, checkout) = await _services.GetRequiredService<PaymentPage>().StartCheckoutAsync(token,
            new Uri("https://pay.example.com/pay/t?result=paid"), new Uri("https://pay.example.com/pay/t?result=declined"), CancellationToken.None);

        checkout!.ToString().ShouldStartWith("https://checkout.stripe.com/c/pay/cs_test_");
        var (form, headers) = _sessions.Last();
        form["mode"].ToString().ShouldBe("payment");
        form["line_items[0][price_data][unit_amount]"].ToString().ShouldBe("12050");
        form["line_items[0][price_data][currency]"].ToString().ShouldBe("gbp");
        form["line_items[0][quantity]"].ToString().ShouldBe("1");
        form["success_url"].ToString().ShouldBe("https://pay.example.com/pay/t?result=paid");
        form["cancel_url"].ToString().ShouldBe("https://pay.example.com/pay/t?result=declined");
        form["metadata[requestId]"].ToString().ShouldBe(created.Str("requestId"));
        form["metadata[merchantId]"].ToString().ShouldBe(merchant.Merchant.Id);
        var (window, expiresAt) = StripePaymentGateway.SessionTimes(DateTimeOffset.Parse(created.Str("expiresAt"), System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow);
        headers["Idempotency-Key"].ShouldBe($"{created.Str("requestId")}.0.{window}");
        form["expires_at"].ToString().ShouldBe(expiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        headers["Authorization"].ShouldBe("Bearer sk_test_stand_in");
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_is_given_up_on_within_its_timeout_and_then_not_called_while_its_circuit_is_open()
    {
        var merchant = await suite.NewMerchantAsync();
        var token = new Uri((await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("longUrl")).Segments[^1];
        var page = _services.GetRequiredService<PaymentPage>();
        _silent = true;

        var failures = new List<(TimeSpan Took, Exception Inner)>();
        for (var i = 0; i < 8 && !(failures.Count > 0 && failures[^1].Inner is Polly.CircuitBreaker.BrokenCircuitException); i++)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var refused = await Should.ThrowAsync<PaymentProviderUnavailableException>(() => page.StartCheckoutAsync(token,
                new Uri("https://pay.example.com/pay/t?result=paid"), new Uri("https://pay.example.com/pay/t?result=declined"), CancellationToken.None));
            failures.Add((started.Elapsed, refused.InnerException!));
        }

        failures[0].Inner.ShouldBeOfType<Polly.Timeout.TimeoutRejectedException>();
        failures[0].Took.ShouldBeLessThan(TimeSpan.FromSeconds(5), "each try has a second");
        failures[^1].Inner.ShouldBeOfType<Polly.CircuitBreaker.BrokenCircuitException>("after failing again and again the provider is held off");
        _heldCalls.ShouldBe(failures.Count - 1, "a call while the circuit is open never reaches the provider");
    }

    [Fact]
    public async Task A_signed_checkout_completed_webhook_pays_the_request_and_a_forged_one_does_not()
    {
        var merchant = await suite.NewMerchantAsync();
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");
        var record = _services.GetRequiredService<RecordPayment>();
        var payload = SessionCompleted(merchant.Merchant.Id, id, 12050);

        (await record.ExecuteAsync("stripe", payload, _ => Sign(payload, DateTimeOffset.UtcNow, "whsec_someone_else"), CancellationToken.None))
            .ShouldBe(RecordPaymentOutcome.Rejected);
        (await record.ExecuteAsync("stripe", payload, _ => Sign(payload, DateTimeOffset.UtcNow.AddMinutes(-10)), CancellationToken.None))
            .ShouldBe(RecordPaymentOutcome.Rejected);
        (await record.ExecuteAsync("stripe", payload, _ => null, CancellationToken.None)).ShouldBe(RecordPaymentOutcome.Rejected);
        (await _services.GetRequiredService<IPaymentRequestStore>().FindAsync(merchant.Merchant.Id, id, CancellationToken.None))!
            .Value.Status.ShouldNotBe(PaymentRequestStatus.Paid);

        (await record.ExecuteAsync("stripe", payload, _ => Sign(payload, DateTimeOffset.UtcNow), CancellationToken.None)).ShouldBe(RecordPaymentOutcome.Recorded);
        (await record.ExecuteAsync("stripe", payload, _ => Sign(payload, DateTimeOffset.UtcNow), CancellationToken.None)).ShouldBe(RecordPaymentOutcome.Ignored);

        (await _services.GetRequiredService<IPaymentRequestStore>().FindAsync(merchant.Merchant.Id, id, CancellationToken.None))!
            .Value.Status.ShouldBe(PaymentRequestStatus.Paid);
        var payment = (await _services.GetRequiredService<IPaymentStore>().ListAsync(merchant.Merchant.Id, id, CancellationToken.None)).Single();
        (payment.Amount, payment.Currency, payment.Provider).ShouldBe((120.50m, "GBP", "stripe"));
        payment.ProviderReference.ShouldStartWith("pi_");
    }

    [Theory]
    [InlineData(14 * 24 * 60, 24 * 60)] // a request payable for two weeks: Stripe's longest, a day from the window's start
    [InlineData(120, 120)] // payable for two hours: its session ends with it
    [InlineData(5, 46)] // payable for five more minutes: Stripe's shortest from the window's end (and a minute's margin)
    public void A_session_expires_when_its_request_stops_being_payable_within_what_stripe_allows(int payableMinutes, int expiresMinutes)
    {
        var windowStart = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

        foreach (var now in new[] { windowStart, windowStart.AddMinutes(14).AddSeconds(59) })
        {
            var (window, expiresAt) = StripePaymentGateway.SessionTimes(windowStart.AddMinutes(payableMinutes), now);

            window.ShouldBe(windowStart.UtcTicks / StripePaymentGateway.SessionWindow.Ticks, "the same window, so the same idempotency key");
            expiresAt.ShouldBe(windowStart.AddMinutes(expiresMinutes));
            (expiresAt - now).ShouldBeGreaterThanOrEqualTo(StripePaymentGateway.ShortestSession);
            (expiresAt - now).ShouldBeLessThanOrEqualTo(StripePaymentGateway.LongestSession);
        }
    }

    [Fact]
    public async Task Cancelling_a_request_expires_its_open_checkout_sessions()
    {
        var merchant = await suite.NewMerchantAsync();
        var created = await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync();
        var (token, id) = (new Uri(created.Str("longUrl")).Segments[^1], created.Str("requestId"));
        var (_, checkout) = await _services.GetRequiredService<PaymentPage>().StartCheckoutAsync(token,
            new Uri("https://pay.example.com/pay/t?result=paid"), new Uri("https://pay.example.com/pay/t?result=declined"), CancellationToken.None);
        var sessionId = checkout!.Segments[^1];

        await _services.GetRequiredService<PayByLink.Core.PaymentRequests.PaymentRequestChanges>()
            .ExecuteAsync(merchant.Merchant.Id, id, PaymentRequestStatus.Cancelled, Requests.Caller, CancellationToken.None);

        _expired.ShouldContain(sessionId);
        (await _services.GetRequiredService<IPaymentStore>().ListCheckoutsAsync(merchant.Merchant.Id, id, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_payment_that_arrives_after_the_cancel_is_refunded_through_stripe_once_and_recorded_as_an_event()
    {
        var merchant = await suite.NewMerchantAsync();
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");
        await _services.GetRequiredService<PayByLink.Core.PaymentRequests.PaymentRequestChanges>()
            .ExecuteAsync(merchant.Merchant.Id, id, PaymentRequestStatus.Cancelled, Requests.Caller, CancellationToken.None);
        var intent = "pi_" + Guid.NewGuid().ToString("N")[..16];
        var payload = SessionCompleted(merchant.Merchant.Id, id, 12050, paymentIntent: intent);
        var record = _services.GetRequiredService<RecordPayment>();

        (await record.ExecuteAsync("stripe", payload, _ => Sign(payload, DateTimeOffset.UtcNow), CancellationToken.None)).ShouldBe(RecordPaymentOutcome.Recorded);
        await record.ExecuteAsync("stripe", payload, _ => Sign(payload, DateTimeOffset.UtcNow), CancellationToken.None); // Stripe sends it again

        var refunds = _refunds.Where(r => r.Form["payment_intent"] == intent).ToList();
        refunds.Count.ShouldBe(2, "asked again on the repeat");
        refunds.ShouldAllBe(r => r.Headers["Idempotency-Key"] == "refund." + intent, "which Stripe answers with the same refund");
        var events = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{id}/events");
        var types = events.GetProperty("items").EnumerateArray().Select(e => e.Str("type")).ToList();
        types.Count(t => t == "payment_request.payment_refused").ShouldBe(1);
        types.Count(t => t == "payment_request.payment_refunded").ShouldBe(1);
        (await _services.GetRequiredService<IPaymentRequestStore>().FindAsync(merchant.Merchant.Id, id, CancellationToken.None))!
            .Value.Status.ShouldBe(PaymentRequestStatus.Cancelled);
    }

    [Fact]
    public void An_unpaid_session_or_another_event_is_not_a_payment()
    {
        var gateway = _services.GetRequiredService<IPaymentGateway>();
        var unpaid = SessionCompleted("m", "pr_x", 100, paymentStatus: "unpaid");

        gateway.ReadCallback(unpaid, _ => Sign(unpaid, DateTimeOffset.UtcNow), DateTimeOffset.UtcNow).Verdict.ShouldBe(CallbackVerdict.Ignored);
        var other = unpaid.Replace("checkout.session.completed", "checkout.session.expired");
        gateway.ReadCallback(other, _ => Sign(other, DateTimeOffset.UtcNow), DateTimeOffset.UtcNow).Verdict.ShouldBe(CallbackVerdict.Ignored);
    }

    [Theory]
    [InlineData(PayByLink.Adapters.HostedInAzure.EnvironmentSetting, "Azure")]
    [InlineData(PayByLink.Adapters.HostedInAzure.InstanceSetting, "0123abcd")]
    public void The_test_gateway_refuses_to_start_in_azure(string setting, string value)
    {
        using var azure = suite.FunctionAppServices(new() { ["Payments:Gateway"] = "test", [setting] = value });
        using var local = suite.FunctionAppServices(new() { ["Payments:Gateway"] = "test" });

        Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() =>
                azure.GetRequiredService<Microsoft.Extensions.Options.IOptions<PayByLink.Adapters.PayByLinkOptions>>().Value)
            .Message.ShouldContain("does not run in Azure");
        Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => azure.GetRequiredService<IPaymentGateway>());
        local.GetRequiredService<IPaymentGateway>().Name.ShouldBe("test");
    }
}
