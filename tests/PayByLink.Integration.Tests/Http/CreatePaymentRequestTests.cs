using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Core.Scheduling;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Http;

[Collection(SuiteCollection.Name)]
public class CreatePaymentRequestTests(SuiteFixture suite)
{
    [Fact]
    public async Task Create_answers_201_with_its_location_links_and_a_pending_status()
    {
        var merchant = await suite.NewMerchantAsync();

        var response = await merchant.CreateAsync(Requests.ValidCreate("INV-1001"));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await response.JsonAsync();
        var requestId = body.Str("requestId");
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/payment-requests/{requestId}");
        body.Str("clientTransactionRef").ShouldBe("INV-1001");
        body.Str("status").ShouldBe("Pending");
        body.Str("longUrl").ShouldMatch($"^{suite.BaseUrl}/pay/[A-Za-z0-9_-]{{43}}$");
        body.Str("shortUrl").ShouldMatch($"^{suite.BaseUrl}/l/[0-9A-Za-z]{{10}}$");
        body.GetProperty("expiresAt").GetDateTime().ShouldBe(body.GetProperty("createdAt").GetDateTime().AddDays(14), TimeSpan.FromSeconds(1));
        body.GetProperty("customer").Str("mobileNumber").ShouldBe("+447700900123");
    }

    [Fact]
    public async Task The_create_repeat_and_update_answers_show_the_request_as_a_get_right_after_each_does()
    {
        var merchant = await suite.NewMerchantAsync();
        var input = Requests.ValidCreate();
        var created = await (await merchant.CreateAsync(input)).JsonAsync();
        var id = created.Str("requestId");
        var afterCreate = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{id}");
        // A create answers as it wrote the request, before its sends: only the sends (and the first one's move to Sent)
        // can have moved on since.
        created.GetProperty("deliveries").GetArrayLength().ShouldBe(0);
        created.Str("status").ShouldBe("Pending");
        afterCreate.Str("status").ShouldBeOneOf("Pending", "Sent");
        Without(created, "deliveries", "updatedAt", "status").ShouldBe(Without(afterCreate, "deliveries", "updatedAt", "status"));

        var delivered = await merchant.WaitForAsync(id, b => b.HasDelivery("sms", "Delivered") && b.HasDelivery("email", "Delivered"));
        delivered.GetProperty("deliveries").GetArrayLength().ShouldBe(2);

        var repeat = await merchant.CreateAsync(input);
        repeat.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await repeat.Content.ReadAsStringAsync()).ShouldBe(await merchant.Http.GetStringAsync($"api/v1/payment-requests/{id}"));

        var cancelled = await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{id}", new { status = "Cancelled" });
        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK);
        var cancelledBody = await cancelled.Content.ReadAsStringAsync();
        cancelledBody.ShouldBe(await merchant.Http.GetStringAsync($"api/v1/payment-requests/{id}"));
        JsonDocument.Parse(cancelledBody).RootElement.GetProperty("deliveries").GetArrayLength().ShouldBe(2);
    }

    private static string Without(JsonElement body, params string[] names)
    {
        var node = JsonNode.Parse(body.GetRawText())!.AsObject();
        foreach (var name in names)
        {
            node.Remove(name);
        }

        return node.ToJsonString();
    }

    [Fact]
    public async Task A_finished_create_leaves_no_check_for_the_schedule_to_read()
    {
        var merchant = await suite.NewMerchantAsync();
        var before = DateTimeOffset.UtcNow;

        var requestId = (await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");

        // Every event due up to a minute from now: the create's check was due 30 seconds after it began.
        var schedule = suite.Runtime.Services.GetRequiredService<IScheduleStore>();
        var due = await schedule.DueAsync(new DateTimeOffset(before.Year, before.Month, before.Day, before.Hour, 0, 0, TimeSpan.Zero),
            DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        due.Where(e => e.RequestId == requestId).ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_sends_the_link_once_on_each_channel()
    {
        var merchant = await suite.NewMerchantAsync();

        var body = await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync();

        var sent = await suite.Outbox.ForRequestAsync(body.Str("requestId"), 2);
        sent.Select(s => s.Channel).ShouldBe(["sms", "email"], ignoreOrder: true);
        sent.Select(s => s.SendId).ShouldBe([$"{body.Str("requestId")}.sms.initial", $"{body.Str("requestId")}.email.initial"], ignoreOrder: true);
    }

    [Fact]
    public async Task Only_the_requested_channels_are_sent()
    {
        var merchant = await suite.NewMerchantAsync();

        var body = await (await merchant.CreateAsync(Requests.ValidCreate().With("channels", new JsonArray("email")))).JsonAsync();

        (await suite.Outbox.ForRequestAsync(body.Str("requestId"), 1)).ShouldHaveSingleItem().Channel.ShouldBe("email");
    }

    [Fact]
    public async Task Property_names_are_matched_case_insensitively()
    {
        var merchant = await suite.NewMerchantAsync();
        var json = """
            {"ClientTransactionRef":"CASE-1","AMOUNT":10,"accountreference":"A-1","Reason":"Rent",
             "Customer":{"FirstName":"Jo","LastName":"Bloggs","Email":"jo@example.com"}}
            """;

        var response = await merchant.Http.PostAsync("api/v1/payment-requests", new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await response.JsonAsync()).Str("clientTransactionRef").ShouldBe("CASE-1");
    }

    [Fact]
    public async Task A_repayment_plan_is_split_into_its_schedule()
    {
        var merchant = await suite.NewMerchantAsync();
        var first = DateTime.UtcNow.Date.AddDays(7);
        var request = Requests.ValidCreate(amount: 100m).With("repaymentPlan", new JsonObject
        {
            ["instalments"] = 3,
            ["frequency"] = "monthly",
            ["firstPaymentDate"] = first.ToString("yyyy-MM-dd"),
        });

        var created = await (await merchant.CreateAsync(request)).JsonAsync();
        var body = await merchant.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/v1/payment-requests/{created.Str("requestId")}");

        var schedule = body.GetProperty("repaymentPlan").GetProperty("schedule").EnumerateArray().ToList();
        schedule.Select(i => i.GetProperty("amount").GetDecimal()).ShouldBe([33.33m, 33.33m, 33.34m]);
        schedule[2].Str("dueDate").ShouldBe(first.AddMonths(2).ToString("yyyy-MM-dd"));
    }

    [Fact]
    public async Task An_identical_retry_answers_200_with_the_same_request_and_sends_nothing_again()
    {
        var merchant = await suite.NewMerchantAsync();
        var request = Requests.ValidCreate();

        var first = await (await merchant.CreateAsync(request)).JsonAsync();
        var retry = await merchant.CreateAsync(request.With("amount", 120.5m).With("customer.mobileNumber", "+447700900123"));

        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = await retry.JsonAsync();
        again.Str("requestId").ShouldBe(first.Str("requestId"));
        again.Str("shortUrl").ShouldBe(first.Str("shortUrl"));
        (await suite.Outbox.ForRequestAsync(first.Str("requestId"), 2)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_retry_with_different_content_answers_409()
    {
        var merchant = await suite.NewMerchantAsync();
        var request = Requests.ValidCreate();
        var first = await (await merchant.CreateAsync(request)).JsonAsync();

        var conflict = await merchant.CreateAsync(request.With("amount", 99.99m));

        conflict.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        conflict.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await conflict.JsonAsync();
        problem.Str("code").ShouldBe("duplicate-client-transaction-ref");
        problem.Str("requestId").ShouldBe(first.Str("requestId"));
    }

    [Fact]
    public async Task Concurrent_identical_creates_make_one_request_and_send_it_once()
    {
        var merchant = await suite.NewMerchantAsync();
        var request = Requests.ValidCreate();

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => merchant.CreateAsync(request)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(15);
        var ids = await Task.WhenAll(responses.Select(async r => (await r.JsonAsync()).Str("requestId")));
        ids.Distinct().ShouldHaveSingleItem();
        (await suite.Outbox.ForRequestAsync(ids[0], 2)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Concurrent_conflicting_creates_keep_one_request_and_refuse_the_others()
    {
        var merchant = await suite.NewMerchantAsync();
        var request = Requests.ValidCreate();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => merchant.CreateAsync(request.With("amount", 10m + i))));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(7);
    }

    [Fact]
    public async Task A_create_that_stopped_after_claiming_its_reference_is_finished_by_a_later_retry()
    {
        var merchant = await suite.NewMerchantAsync();
        var body = Requests.ValidCreate();
        var input = System.Text.Json.JsonSerializer.Deserialize<PaymentRequestInput>(body.ToJsonString(), PayByLink.Http.ApiJson.Options)!;
        var claimedAt = DateTimeOffset.UtcNow - CreatePaymentRequest.AbandonedAfter - TimeSpan.FromSeconds(1);
        var content = PaymentRequestRules.Validate(input, merchant.Merchant, claimedAt).Value!;
        var stopped = new PaymentRequest(merchant.Merchant.Id, "pr_stoppedpartway" + Guid.NewGuid().ToString("N")[..9], content,
            PaymentRequestStatus.Pending, "Stopped123", new string('t', 43), claimedAt, claimedAt);
        var store = suite.Runtime.Services.GetRequiredService<IPaymentRequestStore>();
        await suite.Runtime.Services.GetRequiredService<IScheduleStore>().AddAsync(CreatePaymentRequest.FinishCheck(stopped), CancellationToken.None);
        (await store.TryClaimReferenceAsync(stopped, claimedAt, CancellationToken.None)).ShouldBeNull();

        var retry = await merchant.CreateAsync(body);

        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await retry.JsonAsync()).Str("requestId").ShouldBe(stopped.RequestId);
        (await merchant.Http.GetAsync($"api/v1/payment-requests/{stopped.RequestId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await suite.Outbox.ForRequestAsync(stopped.RequestId, 2)).Count.ShouldBe(2);
        var listed = await (await merchant.Http.GetAsync($"api/v1/payment-requests?clientTransactionRef={content.ClientTransactionRef}")).JsonAsync();
        listed.GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task The_same_reference_at_two_merchants_makes_two_requests()
    {
        var a = await suite.NewMerchantAsync();
        var b = await suite.NewMerchantAsync();

        (await a.CreateAsync(Requests.ValidCreate("SHARED-1"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await b.CreateAsync(Requests.ValidCreate("SHARED-1").With("amount", 1m))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}
