using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Events;

/// <summary>Every change of a request or batch is an event, stored with the change, shown on its timeline.</summary>
[Collection(SuiteCollection.Name)]
public class EventTests(SuiteFixture suite)
{
    private static async Task<List<JsonElement>> TimelineAsync(TestMerchant merchant, string path, Func<List<JsonElement>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var events = (await merchant.Http.GetFromJsonAsync<JsonElement>(path)).GetProperty("items").EnumerateArray().ToList();
            if (done(events) || DateTime.UtcNow > deadline)
            {
                return events;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_request_shows_its_changes_oldest_first_with_stable_ids_and_the_request_as_it_stood()
    {
        var merchant = await suite.NewMerchantAsync();
        var created = await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync();
        var id = created.Str("requestId");
        var path = $"api/v1/payment-requests/{id}/events";

        // Sent by SMS and by email, and both carriers' receipts in: then cancelled.
        var sent = await TimelineAsync(merchant, path, e => e.Count(x => x.Str("type") == "payment_request.delivered") == 2);
        (await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{id}", new { status = "Cancelled" })).EnsureSuccessStatusCode();
        var events = await TimelineAsync(merchant, path, e => e.Any(x => x.Str("type") == "payment_request.cancelled"));

        sent.Count.ShouldBe(5);
        events.Select(e => e.Str("type")).ShouldBe(["payment_request.created", "payment_request.sent", "payment_request.sent",
            "payment_request.delivered", "payment_request.delivered", "payment_request.cancelled"], ignoreOrder: true);
        (events[0].Str("type"), events[1].Str("type"), events[^1].Str("type"))
            .ShouldBe(("payment_request.created", "payment_request.sent", "payment_request.cancelled"));
        events.Select(e => e.GetProperty("sequence").GetInt32()).ShouldBe([1, 2, 3, 4, 5, 6]);
        events.Select(e => e.Str("id")).ShouldBe(Enumerable.Range(1, 6).Select(n => $"evt_{id}_{n}"));
        events.ShouldAllBe(e => e.Str("createdAt").EndsWith('Z'));
        events.ShouldAllBe(e => e.GetProperty("data").Str("clientTransactionRef") == created.Str("clientTransactionRef"));
        events[0].GetProperty("data").Str("status").ShouldBe("Pending");
        events[0].GetProperty("data").GetProperty("deliveries").GetArrayLength().ShouldBe(0);
        events[1].GetProperty("data").Str("status").ShouldBe("Sent");
        events.Where(e => e.Str("type") == "payment_request.sent")
            .Select(e => e.GetProperty("data").GetProperty("deliveries").EnumerateArray().Single().Str("channel"))
            .ShouldBe(["sms", "email"], ignoreOrder: true);
        events[^1].GetProperty("data").Str("status").ShouldBe("Cancelled");

        // Each names who made it: the key for the create and the cancel, delivery for the sends, the carrier for its receipts.
        static string Who(JsonElement e) => $"{e.GetProperty("actor").Str("type")}:{e.GetProperty("actor").Str("id")}";
        events.Select(e => (e.Str("type"), Who(e))).Distinct().ShouldBe(
        [
            ("payment_request.created", $"key:{merchant.KeyId}"), ("payment_request.sent", "system:sender"),
            ("payment_request.delivered", "system:carrier"), ("payment_request.cancelled", $"key:{merchant.KeyId}"),
        ], ignoreOrder: true);

        // Read again, the same events: nothing is made by reading.
        (await TimelineAsync(merchant, path, _ => true)).Select(e => e.GetRawText()).ShouldBe(events.Select(e => e.GetRawText()));
    }

    [Fact]
    public async Task Opening_the_page_and_a_send_that_fails_for_good_are_events()
    {
        var merchant = await suite.NewMerchantAsync();
        var email = $"c{Guid.NewGuid():N}@example.com";
        suite.Provider.Plan(email, PayByLink.Core.Delivery.SendOutcome.Permanent("invalid_recipient", "The address does not exist."));
        var created = await (await merchant.CreateAsync(Requests.ValidCreate().With("customer.email", email))).JsonAsync();
        var id = created.Str("requestId");
        var path = $"api/v1/payment-requests/{id}/events";
        await TimelineAsync(merchant, path, e => e.Any(x => x.Str("type") == "payment_request.sent") && e.Any(x => x.Str("type") == "payment_request.send_failed"));

        using var customer = new HttpClient();
        (await customer.GetAsync(created.Str("longUrl"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var events = await TimelineAsync(merchant, path, e => e.Any(x => x.Str("type") == "payment_request.opened"));

        var failed = events.Single(e => e.Str("type") == "payment_request.send_failed").GetProperty("data").GetProperty("deliveries").EnumerateArray().Single();
        failed.Str("channel").ShouldBe("email");
        failed.Str("errorCode").ShouldBe("invalid_recipient");
        events.Last().Str("type").ShouldBe("payment_request.opened");
        events.Last().GetProperty("data").Str("status").ShouldBe("Opened");
        (events.Last().GetProperty("actor").Str("type"), events.Last().GetProperty("actor").Str("name")).ShouldBe(("customer", "The customer"));
    }

    [Fact]
    public async Task A_batch_completes_by_itself_when_its_last_line_settles_and_its_timeline_says_so()
    {
        var merchant = await suite.NewMerchantAsync();
        var batchId = await merchant.StartAndUploadAsync(BatchFiles.Csv(BatchFiles.Header, BatchFiles.Line(), BatchFiles.Line(), "bad line"));

        // Nobody reads the batch: its timeline (which never finishes a batch) shows it complete.
        var events = await TimelineAsync(merchant, $"api/v1/batches/{batchId}/events", e => e.Any(x => x.Str("type") == "batch.completed"));

        events.Select(e => e.Str("type")).ShouldBe(["batch.processing", "batch.completed"]);
        var completed = events[1].GetProperty("data");
        completed.Str("status").ShouldBe("CompletedWithErrors");
        completed.Int("totalRecords").ShouldBe(3);
        completed.Int("sent").ShouldBe(2);
        completed.Int("failed").ShouldBe(1);
        completed.Str("completedAt").ShouldEndWith("Z");
        var batch = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/batches/{batchId}");
        batch.Str("completedAt").ShouldBe(completed.Str("completedAt"));
        DateTime.Parse(completed.Str("completedAt")).ShouldBeLessThanOrEqualTo(DateTime.Parse(events[1].Str("createdAt")).AddSeconds(1));

        // A batch line's request carries its batch and line.
        var line = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?status=Sent")).GetProperty("items")[0].Str("requestId");
        var request = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{line}");
        request.GetProperty("batch").Str("batchId").ShouldBe(batchId);
        request.GetProperty("batch").Int("line").ShouldBeInRange(2, 3);
    }

    [Fact]
    public async Task Timelines_are_the_merchants_own()
    {
        var owner = await suite.NewMerchantAsync();
        var other = await suite.NewMerchantAsync();
        var id = (await (await owner.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");
        var (batchId, _) = await owner.StartAsync();

        (await owner.Http.GetAsync($"api/v1/payment-requests/{id}/events")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await other.Http.GetAsync($"api/v1/payment-requests/{id}/events")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.Http.GetAsync($"api/v1/batches/{batchId}/events")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.Http.PostAsync($"api/v1/events/evt_{id}_1/redeliver", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await suite.ClientWithKey(null).GetAsync($"api/v1/payment-requests/{id}/events")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
