using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;
using static PayByLink.Integration.Tests.Carrier.CarrierTestKit;

namespace PayByLink.Integration.Tests.Carrier;

/// <summary>Carriers' delivery reports, by Event Grid to /api/acs/events, and the local carrier that posts them.</summary>
[Collection(SuiteCollection.Name)]
public class ReceiptTests(SuiteFixture suite)
{
    [Fact]
    public async Task Each_send_becomes_delivered_with_the_carriers_words_and_a_delivered_event()
    {
        var merchant = await suite.NewMerchantAsync();
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate(mobile: NewMobile()).With("customer.email", NewEmail()))).JsonAsync())
            .Str("requestId");

        var body = await merchant.WaitForAsync(id, b => b.HasDelivery("sms", "Delivered") && b.HasDelivery("email", "Delivered"));

        body.Str("status").ShouldBe("Sent");
        foreach (var channel in new[] { "sms", "email" })
        {
            var receipt = body.Delivery(channel).GetProperty("receipt");
            receipt.Str("carrierStatus").ShouldBe("Delivered");
            receipt.Str("detail").ShouldStartWith("Delivered to the");
            receipt.GetProperty("receivedAt").GetDateTime().ShouldBeGreaterThan(DateTime.UtcNow.AddMinutes(-1));
        }

        var types = await merchant.EventTypesAsync(id);
        types.Count(t => t == "payment_request.delivered").ShouldBe(2);
        types.IndexOf("payment_request.delivered").ShouldBeGreaterThan(types.IndexOf("payment_request.sent"));
    }

    [Fact]
    public async Task The_test_number_and_the_test_address_come_back_undeliverable_and_the_request_stays_sent()
    {
        var merchant = await suite.NewMerchantAsync();
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate(mobile: "+447700900999").With("customer.email", "undeliverable@example.com")))
            .JsonAsync()).Str("requestId");

        var body = await merchant.WaitForAsync(id, b => b.HasDelivery("sms", "Undeliverable") && b.HasDelivery("email", "Undeliverable"));

        body.Str("status").ShouldBe("Sent");
        body.Delivery("sms").GetProperty("receipt").Str("carrierStatus").ShouldBe("Failed");
        body.Delivery("email").GetProperty("receipt").Str("carrierStatus").ShouldBe("Bounced");
        (await merchant.EventTypesAsync(id)).Count(t => t == "payment_request.undeliverable").ShouldBe(2);
    }

    [Fact]
    public async Task Repeated_late_and_out_of_order_reports_change_nothing_more_and_delivered_is_never_taken_back()
    {
        var merchant = await suite.NewMerchantAsync();
        var mobile = NewMobile();
        var smsOnly = (await (await merchant.CreateAsync(Requests.ValidCreate(mobile: mobile).Without("customer.email"))).JsonAsync()).Str("requestId");
        await merchant.WaitForAsync(smsOnly, b => b.HasDelivery("sms", "Delivered"));
        var tag = CarrierReferences.SmsTag(merchant.Merchant.Id, $"{smsOnly}.sms.initial");

        // A late failure, and the same delivered report twice: still Delivered, with one delivered event.
        var late = DateTimeOffset.UtcNow;
        (await suite.PostEventsAsync(
            AcsEvents.SmsReport(tag, "+447700900000", E164(mobile), "Failed", "Late and wrong.", late),
            AcsEvents.SmsReport(tag, "+447700900000", E164(mobile), "Delivered", "Again.", late))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await suite.PostEventsAsync(AcsEvents.SmsReport(tag, "+447700900000", E164(mobile), "Delivered", "Again.", late))).StatusCode
            .ShouldBe(HttpStatusCode.OK);

        var sms = (await merchant.WaitForAsync(smsOnly, _ => true)).Delivery("sms");
        sms.Str("status").ShouldBe("Delivered");
        sms.GetProperty("receipt").Str("detail").ShouldBe("Delivered to the handset.");
        (await merchant.EventTypesAsync(smsOnly)).Count(t => t == "payment_request.delivered").ShouldBe(1);

        // Undeliverable first, then delivered (out of order): delivered wins, and a bounce after it changes nothing.
        var emailOnly = (await (await merchant.CreateAsync(Requests.ValidCreate().Without("customer.mobileNumber")
            .With("customer.email", "undeliverable@example.com"))).JsonAsync()).Str("requestId");
        await merchant.WaitForAsync(emailOnly, b => b.HasDelivery("email", "Undeliverable"));
        var operationId = CarrierReferences.EmailOperationId($"{emailOnly}.email.initial");
        await suite.PostEventsAsync(AcsEvents.EmailReport(operationId, "undeliverable@example.com", "Delivered", "Delivered after all.", DateTimeOffset.UtcNow));
        await suite.PostEventsAsync(AcsEvents.EmailReport(operationId, "undeliverable@example.com", "Bounced", "Late bounce.", DateTimeOffset.UtcNow));

        var email = (await merchant.WaitForAsync(emailOnly, _ => true)).Delivery("email");
        email.Str("status").ShouldBe("Delivered");
        email.GetProperty("receipt").Str("detail").ShouldBe("Delivered after all.");
        (await merchant.EventTypesAsync(emailOnly)).Where(t => t.EndsWith("deliverable") || t.EndsWith("delivered"))
            .ShouldBe(["payment_request.undeliverable", "payment_request.delivered"]);
    }

    [Fact]
    public async Task A_report_on_a_send_its_sender_never_recorded_records_the_send_and_moves_the_request_to_sent()
    {
        var merchant = await suite.NewMerchantAsync();
        var input = JsonSerializer.Deserialize<PayByLink.Core.PaymentRequests.PaymentRequestInput>(
            Requests.ValidCreate().Without("customer.email").ToJsonString(), PayByLink.Http.ApiJson.Options)!;
        var now = DateTimeOffset.UtcNow;
        var content = PayByLink.Core.PaymentRequests.PaymentRequestRules.Validate(input, merchant.Merchant, now).Value!;
        var pending = new PaymentRequest(merchant.Merchant.Id, "pr_unrecorded" + Guid.NewGuid().ToString("N")[..13], content,
            PaymentRequestStatus.Pending, "Unrecorded", new string('u', 43), now, now) { EventCount = 1 };
        await suite.Runtime.Services.GetRequiredService<IPaymentRequestStore>().SaveAsync(pending, CancellationToken.None);
        var sendId = $"{pending.RequestId}.sms.initial";
        await suite.Runtime.Services.GetRequiredService<IDeliveryStore>().TrySaveAsync(new DeliveryRecord(sendId, pending.MerchantId,
            pending.RequestId, Channel.Sms, "initial", DeliveryStatus.Sending, 1, "+4477***23", null, null, null, now), null, CancellationToken.None);

        (await suite.PostEventsAsync(AcsEvents.SmsReport(CarrierReferences.SmsTag(pending.MerchantId, sendId), "+447700900000", "+447700900123",
            "Delivered", "Delivered to the handset.", DateTimeOffset.UtcNow))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var body = await merchant.WaitForAsync(pending.RequestId, _ => true);
        body.Str("status").ShouldBe("Sent");
        body.Delivery("sms").Str("status").ShouldBe("Delivered");
        (await merchant.EventTypesAsync(pending.RequestId)).ShouldBe(["payment_request.created", "payment_request.sent", "payment_request.delivered"]);
    }

    [Fact]
    public async Task Event_grids_validation_handshake_is_answered_and_calls_without_the_key_are_refused()
    {
        var validation = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["topic"] = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs",
            ["subject"] = "",
            ["data"] = new JsonObject { ["validationCode"] = "512d38b6-c7b8-40c8-89fe-f46f9e9622b6", ["validationUrl"] = "https://example.invalid/validate" },
            ["eventType"] = "Microsoft.EventGrid.SubscriptionValidationEvent",
            ["eventTime"] = DateTimeOffset.UtcNow,
            ["metadataVersion"] = "1",
            ["dataVersion"] = "2",
        };

        var answered = await suite.PostEventsAsync(validation);
        answered.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await answered.JsonAsync()).Str("validationResponse").ShouldBe("512d38b6-c7b8-40c8-89fe-f46f9e9622b6");

        foreach (var key in new string?[] { null, "wrong-key", SuiteFixture.CarrierKey + "x" })
        {
            var refused = await suite.PostEventsAsync(AcsEvents.Json([validation]), key);
            refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        var options = new HttpRequestMessage(HttpMethod.Options, $"api/acs/events?key={SuiteFixture.CarrierKey}");
        options.Headers.Add("WebHook-Request-Origin", "eventemitter.example.com");
        var handshake = await suite.ClientWithKey(null).SendAsync(options);
        handshake.StatusCode.ShouldBe(HttpStatusCode.OK);
        handshake.Headers.GetValues("WebHook-Allowed-Origin").ShouldBe(["eventemitter.example.com"]);
        (await suite.ClientWithKey(null).SendAsync(new HttpRequestMessage(HttpMethod.Options, "api/acs/events"))).StatusCode
            .ShouldBe(HttpStatusCode.Unauthorized);

        var garbage = await suite.PostEventsAsync("{\"not\": \"events\"", SuiteFixture.CarrierKey);
        garbage.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await garbage.JsonAsync()).Str("code").ShouldBe("invalid-events");
    }

    [Fact]
    public async Task A_cloud_events_delivery_is_read_as_well()
    {
        var merchant = await suite.NewMerchantAsync();
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate().Without("customer.mobileNumber")
            .With("customer.email", "undeliverable@example.com"))).JsonAsync()).Str("requestId");
        await merchant.WaitForAsync(id, b => b.HasDelivery("email", "Undeliverable"));
        var report = AcsEvents.EmailReport(CarrierReferences.EmailOperationId($"{id}.email.initial"), "undeliverable@example.com", "Delivered",
            "Delivered after all.", DateTimeOffset.UtcNow);
        var cloudEvent = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = Guid.NewGuid().ToString(),
            ["source"] = report["topic"]!.GetValue<string>(),
            ["subject"] = report["subject"]!.GetValue<string>(),
            ["type"] = "Microsoft.Communication.EmailDeliveryReportReceived",
            ["time"] = DateTimeOffset.UtcNow,
            ["datacontenttype"] = "application/json",
            ["data"] = report["data"]!.DeepClone(),
        };

        (await suite.PostEventsAsync(new JsonArray(cloudEvent).ToJsonString(), contentType: "application/cloudevents-batch+json")).StatusCode
            .ShouldBe(HttpStatusCode.OK);

        (await merchant.WaitForAsync(id, b => b.HasDelivery("email", "Delivered"))).Delivery("email").Str("status").ShouldBe("Delivered");
    }
}
