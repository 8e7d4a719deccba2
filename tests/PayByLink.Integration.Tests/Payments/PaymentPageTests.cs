using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters.Payments;
using PayByLink.Core.Payments;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Payments;

/// <summary>The customer's pages and the provider's callback over real HTTP, with the built-in test gateway.</summary>
[Collection(SuiteCollection.Name)]
public class PaymentPageTests(SuiteFixture suite)
{
    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(suite.BaseUrl + "/") };

    private TestPaymentGateway Gateway => (TestPaymentGateway)suite.Runtime.Services.GetRequiredService<IPaymentGateway>();

    private async Task<(TestMerchant Merchant, JsonElement Created)> CreateAsync(JsonObject? body = null)
    {
        var merchant = await suite.NewMerchantAsync();
        var created = await (await merchant.CreateAsync(body ?? Requests.ValidCreate().With("passphrase", "blue heron"))).JsonAsync();
        return (merchant, created);
    }

    private static string PathOf(string url) => new Uri(url).PathAndQuery.TrimStart('/');

    private async Task<JsonElement> RequestAsync(TestMerchant merchant, string id) =>
        await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{id}");

    /// <summary>The request's events of the kinds a payment makes, oldest first.</summary>
    private static async Task<List<JsonElement>> PaymentEventsAsync(TestMerchant merchant, string id) =>
        (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{id}/events")).GetProperty("items").EnumerateArray()
        .Where(e => e.Str("type") is "payment_request.paid" or "payment_request.instalment_paid" or "payment_request.payment_refused").ToList();

    /// <summary>Pay as the customer: the page's form, the gateway's Approve (or Decline), back to the page.</summary>
    private async Task<HttpResponseMessage> PayAsync(string longUrl, bool approve = true)
    {
        var checkout = await _browser.PostAsync(PathOf(longUrl) + "/checkout", null);
        checkout.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        var gateway = checkout.Headers.Location!.ToString();
        gateway.ShouldStartWith(suite.BaseUrl + "/test-gateway/");
        (await (await _browser.GetAsync(PathOf(gateway))).Content.ReadAsStringAsync()).ShouldContain("TEST PAYMENT GATEWAY");
        return await _browser.PostAsync(PathOf(gateway) + (approve ? "/approve" : "/decline"), null);
    }

    private (string Body, string Signature) Callback(string requestId, string merchantId, decimal amount, string reference, DateTimeOffset at, int? instalment = null)
    {
        var body = JsonSerializer.Serialize(new TestCallback("evt_" + Guid.NewGuid().ToString("N"), "payment.succeeded", at.ToUnixTimeSeconds(),
            new TestCallbackPayment(reference, merchantId, requestId, instalment, amount, "GBP")), PayByLink.Core.Ports.StoredJson.Options);
        return (body, Gateway.SignatureFor(body, at));
    }

    private async Task<HttpResponseMessage> PostCallbackAsync(string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/payments/callback/test") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.Add(TestPaymentGateway.SignatureHeader, signature);
        }

        return await _browser.SendAsync(request);
    }

    [Fact]
    public async Task The_short_link_redirects_to_the_page_whose_first_view_marks_the_request_opened()
    {
        var (merchant, created) = await CreateAsync();

        var redirect = await _browser.GetAsync(PathOf(created.Str("shortUrl")));
        redirect.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        redirect.Headers.Location!.ToString().ShouldBe(created.Str("longUrl"));

        var page = await _browser.GetAsync(PathOf(created.Str("longUrl")));
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("Acme Energy");
        html.ShouldContain("£120.50");
        html.ShouldContain("Invoice 1001");
        html.ShouldContain("blue heron");
        html.ShouldContain("ACC-42");
        html.ShouldNotContain("<script");
        (await RequestAsync(merchant, created.Str("requestId"))).Str("status").ShouldBe("Opened");
    }

    [Fact]
    public async Task Pages_carry_a_strict_content_security_policy_and_keep_their_url_to_themselves()
    {
        var (_, created) = await CreateAsync();

        var page = await _browser.GetAsync(PathOf(created.Str("longUrl")));

        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("default-src 'none'");
        csp.ShouldContain("style-src 'self'");
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldNotContain("script-src");
        page.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        page.Headers.GetValues("Strict-Transport-Security").Single().ShouldBe("max-age=31536000; includeSubDomains");
        page.Headers.CacheControl!.NoStore.ShouldBeTrue();
        (await _browser.GetAsync("pay/assets/pay.css")).Content.Headers.ContentType!.MediaType.ShouldBe("text/css");

        // The short link's redirect carries the same headers: its Location holds the page's token.
        var redirect = await _browser.GetAsync(PathOf(created.Str("shortUrl")));
        redirect.StatusCode.ShouldBe(System.Net.HttpStatusCode.Found);
        redirect.Headers.Location!.ToString().ShouldEndWith(PathOf(created.Str("longUrl")));
        redirect.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
        redirect.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        redirect.Headers.GetValues("Strict-Transport-Security").Single().ShouldBe("max-age=31536000; includeSubDomains");
        redirect.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task Every_value_on_the_page_is_html_encoded()
    {
        var (_, created) = await CreateAsync(Requests.ValidCreate().With("reason", "<script>alert('x')</script> & co").With("accountReference", "\"><img src=x>"));

        var html = await _browser.GetStringAsync(PathOf(created.Str("longUrl")));

        html.ShouldNotContain("<script>alert");
        html.ShouldContain("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co");
        html.ShouldNotContain("<img src=x>");
    }

    [Theory]
    [InlineData("l/Zz9Yy8Xx7W")]
    [InlineData("l/not-a-code")]
    [InlineData("pay/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task An_unknown_link_gets_a_friendly_not_found_page(string path)
    {
        var response = await _browser.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("This payment link is not valid");
    }

    [Fact]
    public async Task Paying_with_the_test_gateway_records_the_payment_and_marks_the_request_paid()
    {
        var (merchant, created) = await CreateAsync();
        var id = created.Str("requestId");

        var back = await PayAsync(created.Str("longUrl"));

        back.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        back.Headers.Location!.ToString().ShouldBe(created.Str("longUrl") + "?result=paid");
        var receipt = await _browser.GetStringAsync(PathOf(back.Headers.Location!.ToString()));
        receipt.ShouldContain("Payment received");
        var request = await RequestAsync(merchant, id);
        request.Str("status").ShouldBe("Paid");
        var payment = request.GetProperty("payments").EnumerateArray().Single();
        payment.GetProperty("amount").GetDecimal().ShouldBe(120.50m);
        payment.Str("provider").ShouldBe("test");
        payment.Str("providerReference").ShouldStartWith("tgp_");

        // Paying twice is refused: the page is the receipt and takes no second checkout.
        var again = await _browser.PostAsync(PathOf(created.Str("longUrl")) + "/checkout", null);
        again.Headers.Location!.ToString().ShouldBe(created.Str("longUrl"));
    }

    [Fact]
    public async Task A_declined_payment_changes_nothing_and_the_page_says_so()
    {
        var (merchant, created) = await CreateAsync();

        var back = await PayAsync(created.Str("longUrl"), approve: false);

        back.Headers.Location!.ToString().ShouldBe(created.Str("longUrl") + "?result=declined");
        (await _browser.GetStringAsync(PathOf(back.Headers.Location!.ToString()))).ShouldContain("did not go through");
        var request = await RequestAsync(merchant, created.Str("requestId"));
        request.Str("status").ShouldBe("Opened");
        request.GetProperty("payments").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_valid_callback_pays_and_its_replay_changes_nothing()
    {
        var (merchant, created) = await CreateAsync();
        var id = created.Str("requestId");
        // Its sends and their receipts in first: they change the request too, and this test is about the callbacks.
        await RequestWaits.WaitForAsync(merchant, id, b => b.GetProperty("deliveries").GetArrayLength() == 2 &&
            b.GetProperty("deliveries").EnumerateArray().All(d => d.Str("status") == "Delivered"));
        var (body, signature) = Callback(id, merchant.Merchant.Id, 120.50m, "tgp_valid1", DateTimeOffset.UtcNow);

        (await PostCallbackAsync(body, signature)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var paid = await RequestAsync(merchant, id);
        (await PostCallbackAsync(body, signature)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var (other, otherSignature) = Callback(id, merchant.Merchant.Id, 120.50m, "tgp_second", DateTimeOffset.UtcNow);
        (await PostCallbackAsync(other, otherSignature)).StatusCode.ShouldBe(HttpStatusCode.OK);

        paid.Str("status").ShouldBe("Paid");
        var after = await RequestAsync(merchant, id);
        after.GetProperty("payments").EnumerateArray().Single().Str("providerReference").ShouldBe("tgp_valid1");
        after.Str("updatedAt").ShouldBe(paid.Str("updatedAt"));
    }

    [Fact]
    public async Task An_oversized_callback_is_refused_with_413_unread()
    {
        var response = await PostCallbackAsync(new string('x', 200_000), "t=1,v1=00");

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.JsonAsync()).Str("code").ShouldBe("payload-too-large");
    }

    [Fact]
    public async Task Forged_unsigned_stale_wrong_amount_and_unknown_request_callbacks_change_nothing()
    {
        var (merchant, created) = await CreateAsync();
        var id = created.Str("requestId");
        var (body, signature) = Callback(id, merchant.Merchant.Id, 120.50m, "tgp_forged", DateTimeOffset.UtcNow);
        var forged = Regex.Replace(signature, "v1=[0-9a-f]{4}", "v1=0000");
        var (stale, staleSignature) = Callback(id, merchant.Merchant.Id, 120.50m, "tgp_stale", DateTimeOffset.UtcNow.AddMinutes(-10));
        var (wrongAmount, wrongSignature) = Callback(id, merchant.Merchant.Id, 1.00m, "tgp_cheap", DateTimeOffset.UtcNow);
        var (unknown, unknownSignature) = Callback("pr_doesnotexist", merchant.Merchant.Id, 120.50m, "tgp_unknown", DateTimeOffset.UtcNow);

        (await PostCallbackAsync(body, forged)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await PostCallbackAsync(body, null)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await PostCallbackAsync(body.Replace("120.5", "0.5"), signature)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await PostCallbackAsync(stale, staleSignature)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await PostCallbackAsync(unknown, unknownSignature)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await PostCallbackAsync(wrongAmount, wrongSignature)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var request = await RequestAsync(merchant, id);
        request.Str("status").ShouldNotBe("Paid");
        request.GetProperty("payments").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Money_taken_after_a_request_was_cancelled_is_recorded_for_a_refund_and_the_request_stays_cancelled()
    {
        var (merchant, created) = await CreateAsync();
        var id = created.Str("requestId");
        await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{id}", new { status = "Cancelled" });
        var (body, signature) = Callback(id, merchant.Merchant.Id, 120.50m, "tgp_late", DateTimeOffset.UtcNow);

        (await PostCallbackAsync(body, signature)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var request = await RequestAsync(merchant, id);
        request.Str("status").ShouldBe("Cancelled");
        request.GetProperty("payments").EnumerateArray().Single().Str("providerReference").ShouldBe("tgp_late");

        // Its event says to refund it, once, however often the provider repeats the callback.
        (await PostCallbackAsync(body, signature)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var refused = (await PaymentEventsAsync(merchant, id)).ShouldHaveSingleItem();
        refused.Str("type").ShouldBe("payment_request.payment_refused");
        refused.GetProperty("data").Str("status").ShouldBe("Cancelled");
        refused.GetProperty("data").GetProperty("payments").EnumerateArray().Single().Str("providerReference").ShouldBe("tgp_late");
    }

    [Fact]
    public async Task A_plan_is_paid_instalment_by_instalment_and_is_paid_with_its_last()
    {
        var first = DateOnly.FromDateTime(DateTime.UtcNow);
        var (merchant, created) = await CreateAsync(Requests.ValidCreate().With("amount", 100m)
            .With("repaymentPlan", new JsonObject { ["instalments"] = 3, ["frequency"] = "monthly", ["firstPaymentDate"] = first.ToString("yyyy-MM-dd") }));
        var id = created.Str("requestId");

        var page = await _browser.GetStringAsync(PathOf(created.Str("longUrl")));
        page.ShouldContain("£33.33");
        page.ShouldContain("Due now");
        page.ShouldContain("Your repayment plan");

        await PayAsync(created.Str("longUrl"));
        var afterFirst = await RequestAsync(merchant, id);
        afterFirst.Str("status").ShouldBe("Opened");
        afterFirst.GetProperty("payments").EnumerateArray().Single().GetProperty("instalment").GetInt32().ShouldBe(1);
        (await _browser.GetStringAsync(PathOf(created.Str("longUrl")))).ShouldContain("Pay £33.33 securely");

        await PayAsync(created.Str("longUrl"));
        (await _browser.GetStringAsync(PathOf(created.Str("longUrl")))).ShouldContain("Pay £33.34 securely");
        await PayAsync(created.Str("longUrl"));

        var done = await RequestAsync(merchant, id);
        done.Str("status").ShouldBe("Paid");
        done.GetProperty("payments").EnumerateArray().Select(p => p.GetProperty("amount").GetDecimal()).ShouldBe([33.33m, 33.33m, 33.34m]);
        var events = await PaymentEventsAsync(merchant, id);
        events.Select(e => e.Str("type")).ShouldBe(["payment_request.instalment_paid", "payment_request.instalment_paid", "payment_request.paid"]);
        events.Select(e => e.GetProperty("data").GetProperty("payments").EnumerateArray().Single().GetProperty("instalment").GetInt32()).ShouldBe([1, 2, 3]);
        events[^1].GetProperty("data").Str("status").ShouldBe("Paid");
    }

    [Fact]
    public async Task Cancelled_and_expired_requests_show_their_own_page_and_take_no_payment()
    {
        var (merchant, created) = await CreateAsync();
        await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{created.Str("requestId")}", new { status = "Cancelled" });

        (await _browser.GetStringAsync(PathOf(created.Str("longUrl")))).ShouldContain("This payment request has been cancelled");
        var checkout = await _browser.PostAsync(PathOf(created.Str("longUrl")) + "/checkout", null);
        checkout.Headers.Location!.ToString().ShouldBe(created.Str("longUrl"));
    }

    [Fact]
    public async Task A_plans_page_leads_with_the_instalment_due_now_payable_by_its_date_with_the_total_labelled()
    {
        var first = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10));
        var (_, created) = await CreateAsync(Requests.ValidCreate().With("amount", 1000m)
            .With("repaymentPlan", new JsonObject { ["instalments"] = 3, ["frequency"] = "monthly", ["firstPaymentDate"] = first.ToString("yyyy-MM-dd") }));

        var page = await _browser.GetStringAsync(PathOf(created.Str("longUrl")));

        Regex.Match(page, "<p class=\"amount\">([^<]*)</p>").Groups[1].Value.ShouldBe("£333.33");
        page.ShouldContain("<dt>Due now</dt><dd>Instalment 1 of 3: £333.33 (GBP)</dd>");
        page.ShouldContain($"<dt>Pay by</dt><dd>{first.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}</dd>");
        page.ShouldContain("<dt>Plan total</dt><dd>£1,000.00 (GBP)</dd>");
        page.ShouldNotContain("<dt>Amount</dt>");
    }

    [Fact]
    public async Task Dates_and_the_receipt_are_in_the_merchants_time_zone_named()
    {
        var merchant = await suite.NewMerchantAsync(timeZone: "America/New_York");
        var created = await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        string Named(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone) is var local && zone.IsDaylightSavingTime(local)
            ? zone.DaylightName : zone.StandardName;
        var expiresAt = DateTimeOffset.Parse(created.Str("expiresAt"));

        var payable = await _browser.GetStringAsync(PathOf(created.Str("longUrl")));
        await PayAsync(created.Str("longUrl"));
        var receipt = await _browser.GetStringAsync(PathOf(created.Str("longUrl")));

        payable.ShouldContain($"<dt>Pay by</dt><dd>{TimeZoneInfo.ConvertTime(expiresAt, zone):d MMMM yyyy, HH:mm} {Named(expiresAt)}</dd>");
        receipt.ShouldContain("Payment received");
        receipt.ShouldContain(Named(DateTimeOffset.UtcNow));
        receipt.ShouldNotContain("UTC");
    }
}
