using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayByLink.Core.Telemetry;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Telemetry;

/// <summary>One trace from the merchant's HTTP call through the queue to each delivery, and the health endpoint.</summary>
[Collection(SuiteCollection.Name)]
public sealed class TelemetryTests(SuiteFixture suite) : IDisposable
{
    private readonly ConcurrentBag<Activity> _activities = [];
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == PayByLinkTelemetry.Name,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_create_and_its_deliveries_share_the_trace_the_caller_started()
    {
        _listener.ActivityStopped = _activities.Add;
        ActivitySource.AddActivityListener(_listener);
        var merchant = await suite.NewMerchantAsync();
        // The merchant's own trace: HttpClient sends it on as a W3C traceparent header.
        var traceId = ActivityTraceId.CreateRandom();
        string requestId;
        using (var caller = new Activity("merchant system").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            requestId = (await (await merchant.CreateAsync(Requests.ValidCreate())).JsonAsync()).Str("requestId");
        }

        await suite.Outbox.ForRequestAsync(requestId, 2);

        var create = _activities.Single(a => a.OperationName == "create payment request" && (string?)a.GetTagItem("paybylink.request") == requestId);
        create.TraceId.ShouldBe(traceId);
        var deliveries = _activities.Where(a => a.OperationName == "deliver send" && ((string?)a.GetTagItem("paybylink.send"))!.StartsWith(requestId)).ToList();
        deliveries.Select(d => d.GetTagItem("paybylink.channel")).ShouldBe(["sms", "email"], ignoreOrder: true);
        deliveries.ShouldAllBe(d => d.TraceId == traceId && d.Kind == ActivityKind.Consumer);
    }

    [Fact]
    public async Task The_health_endpoint_answers_without_a_key_and_names_its_checks()
    {
        var response = await suite.ClientWithKey(null).GetAsync("api/health");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.Str("status").ShouldBe("Healthy");
        body.GetProperty("checks").Str("storage").ShouldBe("Healthy");
    }
}
