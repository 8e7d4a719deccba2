using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Http;

[Collection(SuiteCollection.Name)]
public class ValidationTests(SuiteFixture suite)
{
    private static string InDays(int days) => DateTime.UtcNow.AddDays(days).ToString("O");

    public static TheoryData<string, string, string, string> BadRequests() => new()
    {
        // description, JSON to change (path=value, or -path to remove), field, code
        { "no reference", "-clientTransactionRef", "clientTransactionRef", "required" },
        { "long reference", $"clientTransactionRef=\"{new string('r', 51)}\"", "clientTransactionRef", "too_long" },
        { "no amount", "-amount", "amount", "required" },
        { "zero amount", "amount=0", "amount", "not_positive" },
        { "negative amount", "amount=-5", "amount", "not_positive" },
        { "three decimals", "amount=10.005", "amount", "too_many_decimals" },
        { "over the limit", "amount=5000.01", "amount", "over_limit" },
        { "amount as text", "amount=\"ten\"", "amount", "invalid_type" },
        { "amount as a numeric string", "amount=\"120.50\"", "amount", "invalid_type" },
        { "amount past any decimal", "amount=1e30", "amount", "over_limit" },
        { "amount below any decimal", "amount=-1e30", "amount", "not_positive" },
        { "misspelt amount", "amout=120.5", "amout", "unknown_field" },
        { "unknown customer field", "customer.phone=\"07700 900123\"", "customer.phone", "unknown_field" },
        { "unknown currency", "currency=\"XXX\"", "currency", "unsupported_currency" },
        { "other currency", "currency=\"USD\"", "currency", "currency_not_accepted" },
        { "no account reference", "-accountReference", "accountReference", "required" },
        { "long account reference", $"accountReference=\"{new string('a', 51)}\"", "accountReference", "too_long" },
        { "no reason or passphrase", "-reason", "reason", "reason_or_passphrase_required" },
        { "long reason", $"reason=\"{new string('x', 141)}\"", "reason", "too_long" },
        { "long passphrase", $"passphrase=\"{new string('p', 31)}\"", "passphrase", "too_long" },
        { "no customer", "-customer", "customer", "required" },
        { "no first name", "-customer.firstName", "customer.firstName", "required" },
        { "no last name", "-customer.lastName", "customer.lastName", "required" },
        { "long title", $"customer.title=\"{new string('t', 21)}\"", "customer.title", "too_long" },
        { "bad mobile", "customer.mobileNumber=\"0123\"", "customer.mobileNumber", "invalid_mobile_number" },
        { "landline", "customer.mobileNumber=\"020 7946 0000\"", "customer.mobileNumber", "invalid_mobile_number" },
        { "bad email", "customer.email=\"jane@\"", "customer.email", "invalid_email" },
        { "unknown channel", "channels=[\"fax\"]", "channels", "unknown_channel" },
        { "channels not a list", "channels=\"sms\"", "channels", "invalid_type" },
        { "expiry in the past", $"expiresAt=\"{InDays(-1)}\"", "expiresAt", "not_in_future" },
        { "expiry too far", $"expiresAt=\"{InDays(91)}\"", "expiresAt", "too_far" },
        { "expiry not a time", "expiresAt=\"soon\"", "expiresAt", "invalid_type" },
        { "one instalment", $"repaymentPlan={{\"instalments\":1,\"frequency\":\"weekly\",\"firstPaymentDate\":\"{DateTime.UtcNow.AddDays(1):yyyy-MM-dd}\"}}", "repaymentPlan.instalments", "out_of_range" },
        { "daily plan", $"repaymentPlan={{\"instalments\":3,\"frequency\":\"daily\",\"firstPaymentDate\":\"{DateTime.UtcNow.AddDays(1):yyyy-MM-dd}\"}}", "repaymentPlan.frequency", "invalid_frequency" },
        { "plan without a date", "repaymentPlan={\"instalments\":3,\"frequency\":\"weekly\"}", "repaymentPlan.firstPaymentDate", "required" },
        { "reminders every 0 days", "reminders={\"everyDays\":0,\"max\":3}", "reminders.everyDays", "out_of_range" },
        { "too many reminders", "reminders={\"everyDays\":3,\"max\":11}", "reminders.max", "out_of_range" },
        { "reminders past any int", "reminders={\"everyDays\":1e12,\"max\":3}", "reminders.everyDays", "out_of_range" },
        { "instalments past any int", $"repaymentPlan={{\"instalments\":99999999999,\"frequency\":\"weekly\",\"firstPaymentDate\":\"{DateTime.UtcNow.AddDays(1):yyyy-MM-dd}\"}}", "repaymentPlan.instalments", "out_of_range" },
        { "half an instalment", $"repaymentPlan={{\"instalments\":2.5,\"frequency\":\"weekly\",\"firstPaymentDate\":\"{DateTime.UtcNow.AddDays(1):yyyy-MM-dd}\"}}", "repaymentPlan.instalments", "invalid_type" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_fields_answer_400_with_the_field_and_a_stable_code(string description, string change, string field, string code)
    {
        var merchant = await suite.NewMerchantAsync();
        var response = await merchant.CreateAsync(Apply(Requests.ValidCreate(), change));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, description);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.JsonAsync();
        problem.Str("type").ShouldBe("urn:paybylink:problem:validation-failed");
        problem.GetProperty("errors").TryGetProperty(field, out var messages).ShouldBeTrue(problem.ToString());
        messages.GetArrayLength().ShouldBeGreaterThan(0);
        problem.GetProperty("fieldErrors").EnumerateArray().ShouldContain(e => e.Str("field") == field && e.Str("code") == code);
    }

    [Theory]
    [InlineData("\"amount\":1,\"amount\":2", "amount")]
    [InlineData("\"Amount\":1,\"amount\":2", "amount")]
    [InlineData("\"customer\":{\"firstName\":\"A\",\"firstName\":\"B\",\"lastName\":\"C\",\"mobileNumber\":\"07700 900123\"}", "customer.firstName")]
    public async Task A_property_given_twice_answers_400_naming_it(string properties, string field)
    {
        var merchant = await suite.NewMerchantAsync();
        var json = "{\"clientTransactionRef\":\"DUP-1\",\"accountReference\":\"A-1\",\"reason\":\"Rent\"," + properties +
                   (field == "amount" ? ",\"customer\":{\"firstName\":\"A\",\"lastName\":\"C\",\"mobileNumber\":\"07700 900123\"}" : ",\"amount\":5") + "}";

        var response = await merchant.Http.PostAsync("api/v1/payment-requests", new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = (await response.JsonAsync()).GetProperty("fieldErrors").EnumerateArray().ShouldHaveSingleItem();
        (error.Str("field"), error.Str("code")).ShouldBe((field, "duplicate_field"));
        error.Str("message").ShouldBe($"{field}: given twice.");
    }

    [Fact]
    public async Task Every_error_in_a_body_is_reported_at_once_range_errors_beside_unknown_fields()
    {
        var merchant = await suite.NewMerchantAsync();

        var response = await merchant.CreateAsync(Requests.ValidCreate().With("amount", -5).With("colour", "blue").Without("accountReference"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("fieldErrors").EnumerateArray().Select(e => (e.Str("field"), e.Str("code")))
            .ShouldBe([("colour", "unknown_field"), ("amount", "not_positive"), ("accountReference", "required")], ignoreOrder: true);
    }

    [Fact]
    public async Task A_customer_without_mobile_or_email_is_rejected()
    {
        var merchant = await suite.NewMerchantAsync();

        var response = await merchant.CreateAsync(Requests.ValidCreate().Without("customer.mobileNumber").Without("customer.email"));

        (await response.JsonAsync()).GetProperty("errors").TryGetProperty("customer", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Sms_without_a_mobile_number_is_rejected()
    {
        var merchant = await suite.NewMerchantAsync();

        var response = await merchant.CreateAsync(Requests.ValidCreate().Without("customer.mobileNumber").With("channels", new JsonArray("sms")));

        (await response.JsonAsync()).GetProperty("fieldErrors")[0].Str("code").ShouldBe("channel_unreachable");
    }

    [Theory]
    [InlineData("{\"amount\": 1", "body")]
    [InlineData("[1,2,3]", "body")]
    [InlineData("null", "body")]
    [InlineData("", "body")]
    public async Task Malformed_json_answers_400(string json, string field)
    {
        var merchant = await suite.NewMerchantAsync();

        var response = await merchant.Http.PostAsync("api/v1/payment-requests", new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_body_that_is_not_json_answers_415()
    {
        var merchant = await suite.NewMerchantAsync();

        var response = await merchant.Http.PostAsync("api/v1/payment-requests", new StringContent("amount=10", Encoding.UTF8, "text/plain"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task A_huge_body_answers_413()
    {
        var merchant = await suite.NewMerchantAsync();
        var huge = Requests.ValidCreate().With("reason", new string('x', 100_000)).ToJsonString();
        var content = new StringContent(huge, Encoding.UTF8, "application/json");

        var response = await merchant.Http.PostAsync("api/v1/payment-requests", content);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_chunked_huge_body_answers_413()
    {
        var merchant = await suite.NewMerchantAsync();
        var huge = Encoding.UTF8.GetBytes(Requests.ValidCreate().With("reason", new string('x', 100_000)).ToJsonString());
        var content = new StreamContent(new MemoryStream(huge));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/payment-requests") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await merchant.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    private static JsonObject Apply(JsonObject body, string change)
    {
        if (change.StartsWith('-'))
        {
            return body.Without(change[1..]);
        }

        var at = change.IndexOf('=');
        return body.With(change[..at], JsonNode.Parse(change[(at + 1)..]));
    }
}
