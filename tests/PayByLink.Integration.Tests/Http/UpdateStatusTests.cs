using System.Net;
using System.Net.Http.Json;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Http;

[Collection(SuiteCollection.Name)]
public class UpdateStatusTests(SuiteFixture suite)
{
    private async Task<(TestMerchant Merchant, string Id)> NewRequestAsync()
    {
        var merchant = await suite.NewMerchantAsync();
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");
        return (merchant, id);
    }

    private static Task<HttpResponseMessage> PutAsync(TestMerchant merchant, string id, object body) =>
        merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{id}", body);

    [Theory]
    [InlineData("Cancelled")]
    [InlineData("Paid")]
    [InlineData("cancelled")]
    public async Task An_open_request_can_be_cancelled_or_marked_paid(string status)
    {
        var (merchant, id) = await NewRequestAsync();

        var response = await PutAsync(merchant, id, new { status });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.JsonAsync()).Str("status").ShouldBe(char.ToUpperInvariant(status[0]) + status[1..]);
        (await merchant.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/v1/payment-requests/{id}")).Str("status")
            .ShouldBe(char.ToUpperInvariant(status[0]) + status[1..]);
    }

    [Fact]
    public async Task A_final_request_cannot_change_and_the_answer_says_its_status()
    {
        var (merchant, id) = await NewRequestAsync();
        await PutAsync(merchant, id, new { status = "Paid" });

        var response = await PutAsync(merchant, id, new { status = "Cancelled" });

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await response.JsonAsync();
        problem.Str("code").ShouldBe("status-change-not-allowed");
        problem.Str("currentStatus").ShouldBe("Paid");
    }

    [Fact]
    public async Task Repeating_the_same_change_is_harmless()
    {
        var (merchant, id) = await NewRequestAsync();
        await PutAsync(merchant, id, new { status = "Cancelled" });

        var again = await PutAsync(merchant, id, new { status = "Cancelled" });

        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.JsonAsync()).Str("status").ShouldBe("Cancelled");
    }

    [Theory]
    [InlineData("Sent")]
    [InlineData("Opened")]
    [InlineData("Pending")]
    [InlineData("Refunded")]
    [InlineData("")]
    public async Task Merchants_can_only_set_cancelled_or_paid(string status)
    {
        var (merchant, id) = await NewRequestAsync();

        var response = await PutAsync(merchant, id, new { status });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty("status", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task An_unknown_request_answers_404()
    {
        var merchant = await suite.NewMerchantAsync();

        (await PutAsync(merchant, "pr_doesnotexist", new { status = "Cancelled" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Concurrent_changes_leave_exactly_one_winner()
    {
        var (merchant, id) = await NewRequestAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(i => PutAsync(merchant, id, new { status = i % 2 == 0 ? "Paid" : "Cancelled" })));

        var final = (await merchant.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/v1/payment-requests/{id}")).Str("status");
        var winners = await Task.WhenAll(responses.Where(r => r.StatusCode == HttpStatusCode.OK).Select(async r => (await r.JsonAsync()).Str("status")));
        winners.ShouldAllBe(s => s == final);
        responses.Where(r => r.StatusCode != HttpStatusCode.OK).ShouldAllBe(r => r.StatusCode == HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_status_change_moves_the_request_between_status_lists()
    {
        var (merchant, id) = await NewRequestAsync();
        await PutAsync(merchant, id, new { status = "Cancelled" });

        var pending = await (await merchant.Http.GetAsync("api/v1/payment-requests?status=Pending")).JsonAsync();
        var cancelled = await (await merchant.Http.GetAsync("api/v1/payment-requests?status=Cancelled")).JsonAsync();

        pending.GetProperty("items").GetArrayLength().ShouldBe(0);
        cancelled.GetProperty("items").EnumerateArray().Single().Str("status").ShouldBe("Cancelled");
    }
}
