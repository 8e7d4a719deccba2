using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayByLink.Core.Webhooks;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Webhooks;

/// <summary>Webhook endpoints and deliveries over real HTTP: the runtime posts to a receiver on 127.0.0.1.</summary>
[Collection(SuiteCollection.Name)]
public class WebhookTests(SuiteFixture suite)
{
    private static async Task<JsonElement> RegisterAsync(TestMerchant merchant, string url, params string[] events)
    {
        var response = await merchant.Http.PostAsJsonAsync("api/v1/webhook-endpoints", new { url, events = events.Length == 0 ? ["*"] : events });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private static async Task<List<JsonElement>> DeliveriesAsync(TestMerchant merchant, string endpointId) =>
        (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/webhook-endpoints/{endpointId}/deliveries")).GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task Events_arrive_signed_with_the_endpoints_secret_and_the_event_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = await suite.NewMerchantAsync();
        var endpoint = await RegisterAsync(merchant, receiver.Url);
        var secret = endpoint.Str("secret");
        secret.ShouldStartWith("whsec_");
        Convert.FromBase64String(secret["whsec_".Length..].Replace('-', '+').Replace('_', '/') + "=").Length.ShouldBe(32);

        var id = (await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");
        var received = await receiver.WaitForAsync(r => r.Count(x => x.SubjectId == id) >= 3);

        var created = received.First(r => r.Type == "payment_request.created");
        created.EventId.ShouldBe($"evt_{id}_1");
        created.Json.Str("id").ShouldBe(created.EventId);
        WebhookSignature.Verify(created.Signature, created.Body, secret, DateTimeOffset.UtcNow).ShouldBe((true, null));
        WebhookSignature.Verify(created.Signature, created.Body, "whsec_wrong", DateTimeOffset.UtcNow).Valid.ShouldBeFalse();
        WebhookSignature.Verify(created.Signature, created.Body, secret, DateTimeOffset.UtcNow.AddMinutes(10)).Reason
            .ShouldBe("the timestamp is outside the tolerance");
        var tampered = created.Body.ToArray();
        tampered[^2] ^= 1;
        WebhookSignature.Verify(created.Signature, tampered, secret, DateTimeOffset.UtcNow).Valid.ShouldBeFalse();

        // The secret is shown only once.
        (await merchant.Http.GetStringAsync($"api/v1/webhook-endpoints/{endpoint.Str("endpointId")}")).ShouldNotContain("whsec_");
        (await merchant.Http.GetStringAsync("api/v1/webhook-endpoints")).ShouldNotContain("whsec_");
    }

    [Fact]
    public async Task A_500_is_retried_with_the_same_event_id_and_the_deliveries_show_each_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var failures = 2;
        receiver.Respond = _ => Task.FromResult(Interlocked.Decrement(ref failures) >= 0 ? 500 : 204);
        var merchant = await suite.NewMerchantAsync();
        var endpointId = (await RegisterAsync(merchant, receiver.Url, "payment_request.created")).Str("endpointId");

        var id = (await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");
        var received = await receiver.WaitForAsync(r => r.Any(x => x.Answered == 204));

        received.Select(r => r.EventId).ShouldBe([$"evt_{id}_1", $"evt_{id}_1", $"evt_{id}_1"]);
        received.Select(r => r.Answered).ShouldBe([500, 500, 204]);
        var delivery = (await DeliveriesAsync(merchant, endpointId)).ShouldHaveSingleItem();
        delivery.Str("eventId").ShouldBe($"evt_{id}_1");
        delivery.Str("status").ShouldBe("Delivered");
        delivery.Int("attempts").ShouldBe(3);
        delivery.Int("lastStatusCode").ShouldBe(204);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_until_the_endpoint_listens()
    {
        var port = PayByLink.Local.Azurite.FreePort();
        var merchant = await suite.NewMerchantAsync();
        var endpointId = (await RegisterAsync(merchant, $"http://127.0.0.1:{port}/hooks", "payment_request.created")).Str("endpointId");
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");

        JsonElement failed = default;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            if ((await DeliveriesAsync(merchant, endpointId)).FirstOrDefault() is { ValueKind: JsonValueKind.Object } d && d.Int("attempts") >= 1 &&
                d.Str("status") == "Pending")
            {
                failed = d;
                break;
            }
        }

        failed.Str("lastError").ShouldContain("Could not connect");
        failed.GetProperty("lastStatusCode").ValueKind.ShouldBe(JsonValueKind.Null);
        failed.GetProperty("nextAttemptAt").ValueKind.ShouldBe(JsonValueKind.String);

        await using var receiver = await WebhookReceiver.StartAsync(port);
        var received = await receiver.WaitForAsync(r => r.Count > 0);
        received[0].EventId.ShouldBe($"evt_{id}_1");
    }

    [Fact]
    public async Task An_endpoint_that_does_not_answer_within_the_timeout_is_tried_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var calls = 0;
        var triedAgain = new TaskCompletionSource();
        receiver.Respond = async _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                // No answer until the delivery has given up on this post and tried again.
                await triedAgain.Task.WaitAsync(TimeSpan.FromSeconds(40));
                return 200;
            }

            triedAgain.TrySetResult();
            return 200;
        };
        var merchant = await suite.NewMerchantAsync();
        var endpointId = (await RegisterAsync(merchant, receiver.Url, "payment_request.created")).Str("endpointId");
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");

        var received = await receiver.WaitForAsync(r => r.Count >= 2, seconds: 40);

        received.ShouldAllBe(r => r.EventId == $"evt_{id}_1");
        var delivery = (await DeliveriesAsync(merchant, endpointId)).Single();
        delivery.Str("status").ShouldBe("Delivered");
        delivery.Int("attempts").ShouldBe(2);
    }

    [Fact]
    public async Task A_requests_events_reach_an_endpoint_in_order_even_when_the_first_needs_retries()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = await suite.NewMerchantAsync();
        var failFirst = new HashSet<string>();
        receiver.Respond = r =>
        {
            lock (failFirst)
            {
                // Each request's created event fails twice before it is taken.
                return Task.FromResult(r.Type == "payment_request.created" && failFirst.Count(k => k.StartsWith(r.EventId!)) < 2 &&
                                       failFirst.Add(r.EventId + "#" + failFirst.Count) ? 503 : 200);
            }
        };
        await RegisterAsync(merchant, receiver.Url);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId"));
        }

        // Five events each: created, sent by SMS and by email, and their two carrier receipts.
        var received = await receiver.WaitForAsync(r => ids.All(id => r.Count(x => x.SubjectId == id && x.Answered == 200) >= 5));

        foreach (var id in ids)
        {
            var taken = received.Where(r => r.SubjectId == id && r.Answered == 200).Select(r => r.Sequence).ToList();
            taken.ShouldBe([1, 2, 3, 4, 5], $"request {id}'s events arrived out of order");
            received.Where(r => r.SubjectId == id).First().Sequence.ShouldBe(1, "an event went before the earlier one was delivered");
        }
    }

    [Fact]
    public async Task Batch_completed_arrives_with_no_one_reading_the_batch()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = await suite.NewMerchantAsync();
        await RegisterAsync(merchant, receiver.Url, "batch.processing", "batch.completed");

        var batchId = await merchant.StartAndUploadAsync(BatchFiles.Csv(BatchFiles.Header, BatchFiles.Line(), BatchFiles.Line(), BatchFiles.Line()));
        var received = await receiver.WaitForAsync(r => r.Any(x => x.Type == "batch.completed"), seconds: 60);

        received.Select(r => r.Type).ShouldBe(["batch.processing", "batch.completed"]);
        received.Select(r => r.EventId).ShouldBe([$"evt_{batchId}_1", $"evt_{batchId}_2"]);
        var batch = received[1].Json.GetProperty("data");
        batch.Str("batchId").ShouldBe(batchId);
        batch.Str("status").ShouldBe("Completed");
        batch.Int("sent").ShouldBe(3);
        batch.Int("pending").ShouldBe(0);
        batch.Str("completedAt").ShouldEndWith("Z");
    }

    [Fact]
    public async Task After_a_rotation_both_secrets_sign_for_a_day()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = await suite.NewMerchantAsync();
        var endpoint = await RegisterAsync(merchant, receiver.Url, "payment_request.created");
        var rotated = await (await merchant.Http.PostAsync($"api/v1/webhook-endpoints/{endpoint.Str("endpointId")}/rotate-secret", null)).JsonAsync();
        rotated.Str("secret").ShouldNotBe(endpoint.Str("secret"));
        DateTime.Parse(rotated.Str("previousSecretExpiresAt")).ToUniversalTime().ShouldBeInRange(DateTime.UtcNow.AddHours(23.9), DateTime.UtcNow.AddHours(24.1));

        await merchant.CreateAsync(Requests.ValidCreate());
        var webhook = (await receiver.WaitForAsync(r => r.Count > 0))[0];

        webhook.Signature!.Split(',').Count(p => p.StartsWith("v1=")).ShouldBe(2);
        WebhookSignature.Verify(webhook.Signature, webhook.Body, rotated.Str("secret"), DateTimeOffset.UtcNow).Valid.ShouldBeTrue();
        WebhookSignature.Verify(webhook.Signature, webhook.Body, endpoint.Str("secret"), DateTimeOffset.UtcNow).Valid.ShouldBeTrue();
    }

    [Fact]
    public async Task Redeliver_sends_an_event_again_with_its_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = await suite.NewMerchantAsync();
        await RegisterAsync(merchant, receiver.Url, "payment_request.created");
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");
        await receiver.WaitForAsync(r => r.Count == 1);

        var response = await merchant.Http.PostAsync($"api/v1/events/evt_{id}_1/redeliver", null);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var received = await receiver.WaitForAsync(r => r.Count == 2);
        received.Select(r => r.EventId).ShouldBe([$"evt_{id}_1", $"evt_{id}_1"]);
        received[0].Body.ShouldBe(received[1].Body);
        (await merchant.Http.PostAsync($"api/v1/events/evt_{id}_99/redeliver", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Endpoints_are_checked_limited_and_the_merchants_own()
    {
        var merchant = await suite.NewMerchantAsync();
        var other = await suite.NewMerchantAsync();
        async Task<JsonElement> RefusedAsync(object body)
        {
            var response = await merchant.Http.PostAsJsonAsync("api/v1/webhook-endpoints", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            return await response.JsonAsync();
        }

        (await RefusedAsync(new { url = "ftp://example.com/x", events = new[] { "*" } })).GetRawText().ShouldContain("url must use https");
        (await RefusedAsync(new { url = "https://user:pw@example.com/x", events = new[] { "*" } })).GetRawText().ShouldContain("credentials");
        (await RefusedAsync(new { url = "https://example.com/x", events = new[] { "payment_request.teleported" } })).GetRawText()
            .ShouldContain("unknown_event_type");
        (await RefusedAsync(new { url = "https://example.com/x", events = Array.Empty<string>() })).GetRawText().ShouldContain("events");

        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await RegisterAsync(merchant, $"http://127.0.0.1:9/hooks/{i}", "batch.completed")).Str("endpointId"));
        }

        (await RefusedAsync(new { url = "http://127.0.0.1:9/hooks/6", events = new[] { "*" } })).GetRawText().ShouldContain("too_many_endpoints");
        var listed = (await merchant.Http.GetFromJsonAsync<JsonElement>("api/v1/webhook-endpoints")).GetProperty("items");
        listed.EnumerateArray().Select(e => e.Str("endpointId")).ShouldBe(ids);
        listed[0].Str("status").ShouldBe("enabled");

        (await other.Http.GetFromJsonAsync<JsonElement>("api/v1/webhook-endpoints")).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await other.Http.GetAsync($"api/v1/webhook-endpoints/{ids[0]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.Http.GetAsync($"api/v1/webhook-endpoints/{ids[0]}/deliveries")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.Http.PostAsync($"api/v1/webhook-endpoints/{ids[0]}/rotate-secret", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.Http.DeleteAsync($"api/v1/webhook-endpoints/{ids[0]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await merchant.Http.DeleteAsync($"api/v1/webhook-endpoints/{ids[0]}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await merchant.Http.GetAsync($"api/v1/webhook-endpoints/{ids[0]}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await RegisterAsync(merchant, "http://127.0.0.1:9/hooks/6")).Str("endpointId").ShouldStartWith("we_");
    }
}
