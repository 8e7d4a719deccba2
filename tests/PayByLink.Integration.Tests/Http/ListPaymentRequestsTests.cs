using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Http;

[Collection(SuiteCollection.Name)]
public class ListPaymentRequestsTests(SuiteFixture suite)
{
    private static async Task<(List<string> Ids, string? Token)> ListAsync(TestMerchant merchant, string query)
    {
        var response = await merchant.Http.GetAsync("api/v1/payment-requests?" + query);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.JsonAsync();
        var token = body.GetProperty("continuationToken");
        return (body.GetProperty("items").EnumerateArray().Select(i => i.Str("requestId")).ToList(),
            token.ValueKind == JsonValueKind.Null ? null : token.GetString());
    }

    private static async Task<string> CreateAsync(TestMerchant merchant, System.Text.Json.Nodes.JsonObject body)
    {
        var response = await merchant.CreateAsync(body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await response.JsonAsync()).Str("requestId");
    }

    /// <summary>Statuses the senders set arrive shortly after a create: wait for the expected count.</summary>
    private static async Task<List<string>> EventuallyAsync(TestMerchant merchant, string query, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<string> ids;
        while ((ids = (await ListAsync(merchant, query)).Ids).Count < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return ids;
    }

    [Fact]
    public async Task Customer_name_matches_first_last_or_full_name_case_insensitively()
    {
        var merchant = await suite.NewMerchantAsync();
        var jane = await CreateAsync(merchant, Requests.ValidCreate(firstName: "Jane", lastName: "Smith"));
        var john = await CreateAsync(merchant, Requests.ValidCreate(firstName: "John", lastName: "Smith"));
        await CreateAsync(merchant, Requests.ValidCreate(firstName: "Janet", lastName: "Smithson"));

        (await ListAsync(merchant, "customerName=smith")).Ids.ShouldBe([john, jane]);
        (await ListAsync(merchant, "customerName=JANE")).Ids.ShouldBe([jane]);
        (await ListAsync(merchant, "customerName=jane%20%20smith")).Ids.ShouldBe([jane]);
        (await ListAsync(merchant, "customerName=nobody")).Ids.ShouldBeEmpty();
    }

    [Fact]
    public async Task Each_filter_finds_exactly_its_requests_newest_first()
    {
        var merchant = await suite.NewMerchantAsync();
        var a = await CreateAsync(merchant, Requests.ValidCreate("REF-A", amount: 10m, account: "ACC-1", mobile: "07700 900001"));
        var b = await CreateAsync(merchant, Requests.ValidCreate("REF-B", amount: 20.5m, account: "ACC-1", mobile: "07700 900002"));
        var c = await CreateAsync(merchant, Requests.ValidCreate("REF-C", amount: 20.50m, account: "ACC/2?#", mobile: "07700 900002"));
        await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{b}", new { status = "Cancelled" });

        (await ListAsync(merchant, "amount=20.5")).Ids.ShouldBe([c, b]);
        (await ListAsync(merchant, "amount=10.00")).Ids.ShouldBe([a]);
        (await ListAsync(merchant, "accountReference=ACC-1")).Ids.ShouldBe([b, a]);
        (await ListAsync(merchant, "accountReference=" + Uri.EscapeDataString("ACC/2?#"))).Ids.ShouldBe([c]);
        (await ListAsync(merchant, "clientTransactionRef=REF-B")).Ids.ShouldBe([b]);
        (await ListAsync(merchant, "mobileNumber=%2B447700900002")).Ids.ShouldBe([c, b]);
        (await ListAsync(merchant, "mobileNumber=07700%20900001")).Ids.ShouldBe([a]);
        (await ListAsync(merchant, "status=Cancelled")).Ids.ShouldBe([b]);
        (await EventuallyAsync(merchant, "status=sent", 2)).ShouldBe([c, a]);
        (await ListAsync(merchant, "status=Pending")).Ids.ShouldBeEmpty();
    }

    [Fact]
    public async Task Filters_combine()
    {
        var merchant = await suite.NewMerchantAsync();
        var a = await CreateAsync(merchant, Requests.ValidCreate(amount: 10m, account: "ACC-1"));
        var b = await CreateAsync(merchant, Requests.ValidCreate(amount: 20m, account: "ACC-1"));
        await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{a}", new { status = "Paid" });
        await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{b}", new { status = "Cancelled" });

        (await ListAsync(merchant, "accountReference=ACC-1&amount=20")).Ids.ShouldBe([b]);
        (await ListAsync(merchant, "customerName=jane&status=Paid")).Ids.ShouldBe([a]);
        (await ListAsync(merchant, "accountReference=ACC-1&status=Cancelled&customerName=Jane%20Smith")).Ids.ShouldBe([b]);
        (await ListAsync(merchant, "clientTransactionRef=nothing&status=Paid")).Ids.ShouldBeEmpty();
    }

    [Fact]
    public async Task Created_from_and_to_bound_the_creation_time()
    {
        var merchant = await suite.NewMerchantAsync();
        var a = await CreateAsync(merchant, Requests.ValidCreate());
        await Task.Delay(50);
        var between = DateTime.UtcNow.ToString("O");
        await Task.Delay(50);
        var b = await CreateAsync(merchant, Requests.ValidCreate());
        var bCreated = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{b}")).GetProperty("createdAt").GetDateTime();

        (await ListAsync(merchant, "createdFrom=" + Uri.EscapeDataString(between))).Ids.ShouldBe([b]);
        (await ListAsync(merchant, "createdTo=" + Uri.EscapeDataString(between))).Ids.ShouldBe([a]);
        (await ListAsync(merchant, $"customerName=smith&createdTo={Uri.EscapeDataString(between)}")).Ids.ShouldBe([a]);
        (await ListAsync(merchant, $"createdFrom={Uri.EscapeDataString(bCreated.ToString("O"))}&createdTo={Uri.EscapeDataString(bCreated.ToString("O"))}")).Ids.ShouldBe([b]);
        (await ListAsync(merchant, $"clientTransactionRef=x&createdFrom={Uri.EscapeDataString(between)}")).Ids.ShouldBeEmpty();
    }

    [Fact]
    public async Task Pages_follow_the_continuation_token_without_gaps_or_repeats()
    {
        var merchant = await suite.NewMerchantAsync();
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add(await CreateAsync(merchant, Requests.ValidCreate(account: "PAGED")));
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var query = "accountReference=PAGED&pageSize=3" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            (var ids, token) = await ListAsync(merchant, query);
            ids.Count.ShouldBeLessThanOrEqualTo(3);
            seen.AddRange(ids);
            pages++;
        }
        while (token is not null && pages < 10);

        seen.ShouldBe(Enumerable.Reverse(created).ToList());
    }

    [Theory]
    [InlineData("accountReference=MIXED&status=Cancelled")]
    [InlineData("status=Cancelled")]
    public async Task Pages_of_a_status_show_every_request_with_that_status_once(string filter)
    {
        var merchant = await suite.NewMerchantAsync();
        var cancelled = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var id = await CreateAsync(merchant, Requests.ValidCreate(account: "MIXED"));
            if (i % 3 != 1)
            {
                (await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{id}", new { status = "Cancelled" })).EnsureSuccessStatusCode();
                cancelled.Add(id);
            }
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            (var ids, token) = await ListAsync(merchant, filter + "&pageSize=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            ids.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(ids);
            pages++;
        }
        while (token is not null && pages < 10);

        seen.ShouldBe(Enumerable.Reverse(cancelled).ToList());
    }

    [Theory]
    [InlineData("", "filter")]
    [InlineData("pageSize=20", "filter")]
    [InlineData("customerName=a&pageSize=101", "pageSize")]
    [InlineData("customerName=a&pageSize=0", "pageSize")]
    [InlineData("amount=ten", "amount")]
    [InlineData("status=Lost", "status")]
    [InlineData("createdFrom=yesterday", "createdFrom")]
    [InlineData("customerName=a&continuationToken=not-a-token", "continuationToken")]
    public async Task Bad_queries_answer_400(string query, string field)
    {
        var merchant = await suite.NewMerchantAsync();

        var response = await merchant.Http.GetAsync("api/v1/payment-requests?" + query);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_continuation_token_only_continues_the_query_it_came_from()
    {
        var merchant = await suite.NewMerchantAsync();
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(merchant, Requests.ValidCreate(account: "TOKEN"));
        }

        var (_, token) = await ListAsync(merchant, "accountReference=TOKEN&pageSize=1");

        var response = await merchant.Http.GetAsync("api/v1/payment-requests?accountReference=OTHER&continuationToken=" + Uri.EscapeDataString(token!));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
