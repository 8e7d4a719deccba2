using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Webhooks;
using PayByLink.Testing;

namespace PayByLink.Core.Tests.UseCases;

/// <summary>Webhook delivery over in-memory ports: order, retries, giving up and disabling, on a clock the test moves.</summary>
public class WebhookUseCaseTests
{
    private static readonly WebhookRetryPolicy Retries = new(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(2));

    private static async Task<(InMemorySuite Suite, Merchant Merchant, WebhookEndpoint Endpoint)> SuiteAsync()
    {
        var suite = new InMemorySuite(webhookRetries: Retries);
        suite.Endpoint.Clock = suite.Clock;
        var merchant = await suite.NewMerchantAsync();
        var endpoint = new WebhookEndpoint(merchant.Id, "we_test", "https://hooks.example/paybylink", [WebhookEndpoint.AllEvents], null, "whsec_test",
            suite.Clock.GetUtcNow());
        await suite.Webhooks.AddEndpointAsync(endpoint, CancellationToken.None);
        return (suite, merchant, endpoint);
    }

    private static async Task<string> CreateAndSendAsync(InMemorySuite suite, Merchant merchant, string reference = "INV-1001")
    {
        var id = (await suite.Get<CreatePaymentRequest>().ExecuteAsync(merchant, TestData.ValidInput(reference), TestData.Caller, CancellationToken.None)).Request!.RequestId;
        await suite.DeliverSendsAsync();
        return id;
    }

    [Fact]
    public async Task A_requests_events_are_posted_in_order_each_once()
    {
        var (suite, merchant, _) = await SuiteAsync();
        using var _ = suite;
        var id = await CreateAndSendAsync(suite, merchant);

        await suite.DeliverWebhooksAsync();

        suite.Endpoint.Posts.Select(p => p.EventId).ShouldBe([$"evt_{id}_1", $"evt_{id}_2", $"evt_{id}_3"]);
    }

    [Fact]
    public async Task A_failed_post_is_retried_after_the_backoff_and_no_later_event_overtakes_it()
    {
        var (suite, merchant, endpoint) = await SuiteAsync();
        using var _ = suite;
        var failures = 2;
        suite.Endpoint.Respond = eventId => eventId.EndsWith("_1") && failures-- > 0 ? new WebhookResponse(500, null) : new WebhookResponse(200, null);
        var id = await CreateAndSendAsync(suite, merchant);

        await suite.DeliverWebhooksAsync();
        suite.Endpoint.Posts.Select(p => p.EventId).ShouldBe([$"evt_{id}_1"], "the later events wait for the first");

        await suite.DeliverWebhooksAsync(upTo: TimeSpan.FromMinutes(30));

        suite.Endpoint.Posts.Select(p => p.EventId).ShouldBe([$"evt_{id}_1", $"evt_{id}_1", $"evt_{id}_1", $"evt_{id}_2", $"evt_{id}_3"]);
        var first = (await suite.Webhooks.FindDeliveryAsync(merchant.Id, endpoint.EndpointId, $"evt_{id}_1", default, CancellationToken.None))!.Value;
        (first.Status, first.Attempts).ShouldBe((WebhookDeliveryStatus.Delivered, 3));
        (await suite.Webhooks.FindEndpointAsync(merchant.Id, endpoint.EndpointId, CancellationToken.None))!.Value.FailingSince.ShouldBeNull();
    }

    [Fact]
    public async Task An_endpoint_failing_for_the_whole_retry_period_is_given_up_on_and_then_disabled()
    {
        var (suite, merchant, endpoint) = await SuiteAsync();
        using var _ = suite;
        suite.Endpoint.Respond = _ => new WebhookResponse(503, null);
        var first = await CreateAndSendAsync(suite, merchant);

        await suite.DeliverWebhooksAsync(upTo: TimeSpan.FromHours(3));

        var delivery = (await suite.Webhooks.FindDeliveryAsync(merchant.Id, endpoint.EndpointId, $"evt_{first}_1", default, CancellationToken.None))!.Value;
        delivery.Status.ShouldBe(WebhookDeliveryStatus.GaveUp);
        var disabled = (await suite.Webhooks.FindEndpointAsync(merchant.Id, endpoint.EndpointId, CancellationToken.None))!.Value;
        disabled.IsEnabled.ShouldBeFalse();
        disabled.DisabledReason.ShouldNotBeNull().ShouldContain("HTTP 503");
        var posts = suite.Endpoint.Posts.Count;

        await CreateAndSendAsync(suite, merchant, "INV-1002");
        await suite.DeliverWebhooksAsync(upTo: TimeSpan.FromHours(1));
        suite.Endpoint.Posts.Count.ShouldBe(posts, "a disabled endpoint is sent nothing");
    }
}
