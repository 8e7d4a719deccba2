using System.Net;
using System.Net.Http.Json;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Http;

[Collection(SuiteCollection.Name)]
public class TransportSecurityTests(SuiteFixture suite)
{
    [Fact]
    public async Task Every_answer_api_errors_and_health_included_carries_hsts_and_nosniff()
    {
        var merchant = await suite.NewMerchantAsync();
        var answers = new[]
        {
            await merchant.CreateAsync(Requests.ValidCreate()),
            await merchant.Http.GetAsync("api/v1/payment-requests/pr_nothing_here"),
            await merchant.Http.PostAsJsonAsync("api/v1/payment-requests", new { amout = 1 }),
            await suite.ClientWithKey(null).GetAsync("api/v1/payment-requests?status=Sent"),
            await suite.ClientWithKey(null).GetAsync("api/health"),
            await suite.ClientWithKey(null).GetAsync("openapi/v1.json"),
        };

        answers.Select(a => a.StatusCode).ShouldBe([HttpStatusCode.Created, HttpStatusCode.NotFound, HttpStatusCode.BadRequest,
            HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.OK]);
        foreach (var answer in answers)
        {
            answer.Headers.GetValues("Strict-Transport-Security").Single().ShouldBe("max-age=31536000; includeSubDomains", answer.RequestMessage!.RequestUri!.ToString());
            answer.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        }
    }
}
