using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Merchants;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Http;

[Collection(SuiteCollection.Name)]
public class LimitsTests(SuiteFixture suite)
{
    private MerchantAdministration Admin => suite.Runtime.Services.GetRequiredService<MerchantAdministration>();

    [Fact]
    public async Task A_key_past_its_rate_gets_429_rate_limited_with_retry_after_and_the_rate_headers_while_another_key_goes_on()
    {
        var merchant = await suite.NewMerchantAsync();
        await Admin.SetLimitsAsync(merchant.Merchant.Id, requestsPerSecond: 1, burst: 3, null, null, CancellationToken.None);
        var (otherKey, _) = await Admin.IssueKeyAsync(merchant.Merchant.Id, CancellationToken.None);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await merchant.Http.GetAsync("api/v1/payment-requests?status=Sent"));
        }

        answers.Take(3).ShouldAllBe(a => a.StatusCode == HttpStatusCode.OK);
        answers[0].Headers.GetValues("RateLimit-Policy").Single().ShouldBe("\"per-key\";q=3;w=3");
        answers[0].Headers.GetValues("RateLimit").Single().ShouldStartWith("\"per-key\";r=2;t=");
        var refused = answers[3];
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
        refused.Headers.GetValues("RateLimit").Single().ShouldStartWith("\"per-key\";r=0;");
        var problem = await refused.JsonAsync();
        problem.Str("code").ShouldBe("rate-limited");
        problem.Str("detail").ShouldContain("1 requests a second, up to 3 at once");

        (await suite.ClientWithKey(otherKey).GetAsync("api/v1/payment-requests?status=Sent")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await suite.ClientWithKey("pbl_unknown_key_0123456789abcdef").GetAsync("api/v1/payment-requests?status=Sent")).StatusCode
            .ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_create_past_the_daily_sms_cap_gets_429_daily_cap_reached_naming_the_cap_and_the_count_and_a_repeat_still_answers()
    {
        var merchant = await suite.NewMerchantAsync();
        await Admin.SetLimitsAsync(merchant.Merchant.Id, null, null, dailySms: 1, dailyEmails: 100, CancellationToken.None);
        var first = Requests.ValidCreate();

        (await merchant.CreateAsync(first)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var refused = await merchant.CreateAsync(Requests.ValidCreate());
        var repeat = await merchant.CreateAsync(first);

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var problem = await refused.JsonAsync();
        problem.Str("code").ShouldBe("daily-cap-reached");
        problem.Str("detail").ShouldBe("The daily cap of 1 SMS messages would be passed: 1 are counted today and this would add 1.");
        problem.GetProperty("cap").GetInt32().ShouldBe(1);
        problem.GetProperty("countedToday").GetInt32().ShouldBe(1);
        problem.Str("channel").ShouldBe("sms");
        refused.Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromHours(25));
        repeat.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_batch_that_would_pass_the_daily_cap_is_refused_whole_and_one_within_it_is_counted()
    {
        var merchant = await suite.NewMerchantAsync();
        await Admin.SetLimitsAsync(merchant.Merchant.Id, null, null, dailySms: 3, dailyEmails: 100, CancellationToken.None);
        var over = new[] { BatchFiles.NewRef(), BatchFiles.NewRef(), BatchFiles.NewRef(), BatchFiles.NewRef() };

        var refused = await merchant.WaitForFinishAsync(await merchant.StartAndUploadAsync(
            BatchFiles.Csv([BatchFiles.Header, .. over.Select(r => BatchFiles.Line(r))])));

        refused.Str("status").ShouldBe("Failed");
        refused.Str("failureReason").ShouldBe(
            "The daily cap of 3 SMS messages would be passed: 0 are counted today and this would add 4. Nothing in the file was sent.");
        foreach (var reference in over)
        {
            var listed = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?clientTransactionRef={reference}");
            listed.GetProperty("items").GetArrayLength().ShouldBe(0);
        }

        var within = await merchant.WaitForFinishAsync(await merchant.StartAndUploadAsync(
            BatchFiles.Csv(BatchFiles.Header, BatchFiles.Line(), BatchFiles.Line())));
        within.Str("status").ShouldBe("Completed");
        var next = await merchant.CreateAsync(Requests.ValidCreate().With("channels", new System.Text.Json.Nodes.JsonArray("sms", "email")));
        next.StatusCode.ShouldBe(HttpStatusCode.Created, "two of three counted");
        var past = await merchant.CreateAsync(Requests.ValidCreate());
        (await past.JsonAsync()).Str("detail").ShouldBe("The daily cap of 3 SMS messages would be passed: 3 are counted today and this would add 1.");
    }

    [Fact]
    public async Task The_openapi_document_lists_429_on_every_merchant_operation()
    {
        var document = JsonDocument.Parse(await suite.ClientWithKey(null).GetStringAsync("openapi/v1.json")).RootElement;
        var operations = document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/v1", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject()).ToList();

        operations.ShouldNotBeEmpty();
        operations.Where(o => !o.Value.GetProperty("responses").TryGetProperty("429", out var _)).ShouldBeEmpty();
        var create = document.GetProperty("paths").GetProperty("/api/v1/payment-requests").GetProperty("post");
        create.GetProperty("responses").GetProperty("429").Str("description").ShouldContain("daily-cap-reached");
    }
}
