using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;
using PayByLink.Integration.Tests.Infrastructure;
using static PayByLink.Integration.Tests.Carrier.CarrierTestKit;

namespace PayByLink.Integration.Tests.Carrier;

/// <summary>STOP and START texted to the sender number, the merchant's suppression list, and one-click unsubscribe.</summary>
[Collection(SuiteCollection.Name)]
public class OptOutTests(SuiteFixture suite)
{
    private static async Task<List<JsonElement>> OptOutsAsync(TestMerchant merchant) =>
        (await merchant.Http.GetFromJsonAsync<JsonElement>("api/v1/opt-outs?pageSize=100")).GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task A_customer_who_texts_stop_gets_no_more_sms_from_that_number_until_start_and_email_still_goes()
    {
        var merchant = await suite.NewMerchantAsync();
        var other = await suite.NewMerchantAsync();
        var mobile = NewMobile();
        (await suite.TextAsync(E164(mobile), "  stop ")).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var stopped = (await (await merchant.CreateAsync(Requests.ValidCreate(mobile: mobile).With("customer.email", NewEmail()))).JsonAsync()).Str("requestId");
        var body = await merchant.WaitForAsync(stopped, b => b.HasDelivery("sms", "Skipped") && b.HasDelivery("email", "Delivered"));

        body.Str("status").ShouldBe("Sent");
        var sms = body.Delivery("sms");
        (sms.Str("status"), sms.Str("errorCode")).ShouldBe(("Skipped", "opted_out"));
        sms.Str("errorReason").ShouldContain("STOP");
        (await suite.Outbox.ForRequestAsync(stopped, 1)).Select(m => m.Channel).ShouldBe(["email"]);
        var listed = (await OptOutsAsync(merchant)).ShouldHaveSingleItem();
        (listed.Str("channel"), listed.Str("mobileNumber"), listed.Str("source")).ShouldBe(("sms", E164(mobile), "stop"));
        (await OptOutsAsync(other)).ShouldBeEmpty();
        var delete = await merchant.Http.DeleteAsync($"api/v1/opt-outs?mobileNumber={Uri.EscapeDataString(mobile)}");
        delete.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await delete.JsonAsync()).Str("detail").ShouldContain("START");

        (await suite.TextAsync(E164(mobile), "Start")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var started = (await (await merchant.CreateAsync(Requests.ValidCreate(mobile: mobile))).JsonAsync()).Str("requestId");

        (await merchant.WaitForAsync(started, b => b.HasDelivery("sms", "Delivered"))).Delivery("sms").Str("status").ShouldBe("Delivered");
        (await OptOutsAsync(merchant)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_stop_word_in_any_case_opts_out_unstop_opts_back_in_and_other_texts_change_nothing()
    {
        var store = suite.Runtime.Services.GetRequiredService<IOptOutStore>();
        foreach (var word in new[] { "STOP", "stopall", "Unsubscribe", "CANCEL", "end", " QUIT\n" })
        {
            var mobile = E164(NewMobile());
            await suite.TextAsync(mobile, word);
            (await store.FindStopAsync("+447700900000", mobile, CancellationToken.None)).ShouldNotBeNull(word);
            await suite.TextAsync(mobile, "unstop");
            (await store.FindStopAsync("+447700900000", mobile, CancellationToken.None)).ShouldBeNull(word);
        }

        var chatty = E164(NewMobile());
        foreach (var text in new[] { "Please stop", "STOP!", "Thanks", "" })
        {
            await suite.TextAsync(chatty, text);
        }

        (await store.FindStopAsync("+447700900000", chatty, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task A_merchants_suppression_list_holds_back_its_sends_on_that_channel_and_fails_a_request_with_no_channel_left()
    {
        var merchant = await suite.NewMerchantAsync();
        var other = await suite.NewMerchantAsync();
        var (email, mobile) = (NewEmail(), NewMobile());

        var added = await merchant.Http.PostAsJsonAsync("api/v1/opt-outs", new { email = email.ToUpperInvariant() });
        added.StatusCode.ShouldBe(HttpStatusCode.Created);
        var entry = await added.JsonAsync();
        (entry.Str("channel"), entry.Str("email"), entry.Str("source")).ShouldBe(("email", email, "merchant"));
        (await merchant.Http.PostAsJsonAsync("api/v1/opt-outs", new { email })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var held = (await (await merchant.CreateAsync(Requests.ValidCreate(mobile: mobile).With("customer.email", email))).JsonAsync()).Str("requestId");
        var body = await merchant.WaitForAsync(held, b => b.HasDelivery("email", "Skipped") && b.HasDelivery("sms", "Delivered"));
        (body.Delivery("email").Str("errorCode"), body.Str("status")).ShouldBe(("opted_out", "Sent"));

        // Another merchant's list is its own.
        var elsewhere = (await (await other.CreateAsync(Requests.ValidCreate(mobile: mobile).With("customer.email", email))).JsonAsync()).Str("requestId");
        (await other.WaitForAsync(elsewhere, b => b.HasDelivery("email", "Delivered"))).Delivery("email").Str("status").ShouldBe("Delivered");

        // Both channels held back: no channel can deliver the link.
        (await merchant.Http.PostAsJsonAsync("api/v1/opt-outs", new { mobileNumber = mobile })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var none = (await (await merchant.CreateAsync(Requests.ValidCreate(mobile: mobile).With("customer.email", email))).JsonAsync()).Str("requestId");
        var failed = await merchant.WaitForAsync(none, b => b.Str("status") == "Failed");
        failed.Str("status").ShouldBe("Failed");
        failed.GetProperty("deliveries").EnumerateArray().ShouldAllBe(d => d.Str("status") == "Skipped" && d.Str("errorCode") == "opted_out");
        (await suite.Outbox.ForRequestAsync(none, 0)).ShouldBeEmpty();

        // Paged, by channel then recipient.
        var first = await merchant.Http.GetFromJsonAsync<JsonElement>("api/v1/opt-outs?pageSize=1");
        first.GetProperty("items").EnumerateArray().Single().Str("channel").ShouldBe("email");
        var second = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/opt-outs?pageSize=1&continuationToken={first.Str("continuationToken")}");
        second.GetProperty("items").EnumerateArray().Single().Str("mobileNumber").ShouldBe(E164(mobile));
        second.GetProperty("continuationToken").ValueKind.ShouldBe(JsonValueKind.Null);

        (await merchant.Http.DeleteAsync($"api/v1/opt-outs?email={Uri.EscapeDataString(email)}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await merchant.Http.DeleteAsync($"api/v1/opt-outs?email={Uri.EscapeDataString(email)}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await OptOutsAsync(merchant)).Select(o => o.Str("channel")).ShouldBe(["sms"]);
    }

    [Fact]
    public async Task Bad_opt_out_calls_get_problems_and_change_nothing()
    {
        var merchant = await suite.NewMerchantAsync();
        foreach (var body in new object[] { new { }, new { email = "a@example.com", mobileNumber = "07700 900123" }, new { email = "not an email" },
                     new { mobileNumber = "12" } })
        {
            var response = await merchant.Http.PostAsJsonAsync("api/v1/opt-outs", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        (await merchant.Http.DeleteAsync("api/v1/opt-outs")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await merchant.Http.GetAsync("api/v1/opt-outs?pageSize=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await merchant.Http.GetAsync("api/v1/opt-outs?continuationToken=%%%")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await suite.ClientWithKey(null).GetAsync("api/v1/opt-outs")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await suite.ClientWithKey(null).PostAsJsonAsync("api/v1/opt-outs", new { email = "a@example.com" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await OptOutsAsync(merchant)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Reminders_and_instalments_check_the_opt_outs_too()
    {
        var merchant = await suite.NewMerchantAsync();
        var (email, mobile) = (NewEmail(), NewMobile());
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate(mobile: mobile).With("customer.email", email))).JsonAsync()).Str("requestId");
        await merchant.WaitForAsync(id, b => b.HasDelivery("sms", "Delivered") && b.HasDelivery("email", "Delivered"));
        (await merchant.Http.PostAsJsonAsync("api/v1/opt-outs", new { email })).EnsureSuccessStatusCode();
        await suite.TextAsync(E164(mobile), "STOP");
        var deliver = suite.Runtime.Services.GetRequiredService<DeliverSend>();
        var callsBefore = (suite.Provider.Calls(email), suite.Provider.Calls(E164(mobile)));

        foreach (var (channel, purpose) in new[] { (Channel.Email, "reminder-1"), (Channel.Sms, "reminder-1"), (Channel.Sms, "instalment-2") })
        {
            var message = new SendMessage($"{id}.{channel.Name()}.{purpose}", merchant.Merchant.Id, id, channel, purpose, DateTimeOffset.UtcNow);
            (await deliver.ExecuteAsync(message, 1, false, CancellationToken.None)).Finished.ShouldBeTrue();
        }

        var deliveries = await suite.Runtime.Services.GetRequiredService<IDeliveryStore>().ListAsync(merchant.Merchant.Id, id, CancellationToken.None);
        deliveries.Where(d => d.Purpose != "initial").ShouldAllBe(d => d.Status == DeliveryStatus.Skipped && d.ErrorCode == DeliveryRecord.OptedOut);
        deliveries.Count(d => d.Purpose != "initial").ShouldBe(3);
        (suite.Provider.Calls(email), suite.Provider.Calls(E164(mobile))).ShouldBe(callsBefore);
        (await merchant.WaitForAsync(id, _ => true)).Str("status").ShouldBe("Sent");
        await suite.TextAsync(E164(mobile), "START");
    }

    [Fact]
    public async Task One_click_unsubscribe_from_an_email_stops_the_merchants_emails_to_that_address()
    {
        var merchant = await suite.NewMerchantAsync();
        var email = NewEmail();
        var id = (await (await merchant.CreateAsync(Requests.ValidCreate().Without("customer.mobileNumber").With("customer.email", email))).JsonAsync())
            .Str("requestId");
        var message = (await suite.Outbox.ForRequestAsync(id, 1)).ShouldHaveSingleItem();
        message.Unsubscribe.ShouldNotBeNull().ShouldStartWith($"<{suite.BaseUrl}/unsubscribe/");
        var url = message.Unsubscribe.Trim('<', '>');
        var client = suite.ClientWithKey(null);

        // Opening the link (a mail scanner might) only asks.
        var asked = await client.GetAsync(url);
        asked.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await asked.Content.ReadAsStringAsync();
        page.ShouldContain("Unsubscribe from these emails?");
        page.ShouldContain("Acme Energy");
        page.ShouldNotContain(email);
        (await OptOutsAsync(merchant)).ShouldBeEmpty();

        // The mail client's one-click post (RFC 8058).
        var done = await client.PostAsync(url, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        done.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await done.Content.ReadAsStringAsync()).ShouldContain("You are unsubscribed");
        var listed = (await OptOutsAsync(merchant)).ShouldHaveSingleItem();
        (listed.Str("email"), listed.Str("source")).ShouldBe((email, "unsubscribe"));
        (await merchant.Http.DeleteAsync($"api/v1/opt-outs?email={Uri.EscapeDataString(email)}")).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var next = (await (await merchant.CreateAsync(Requests.ValidCreate(mobile: NewMobile()).With("customer.email", email))).JsonAsync()).Str("requestId");
        (await merchant.WaitForAsync(next, b => b.HasDelivery("email", "Skipped"))).Delivery("email").Str("errorCode").ShouldBe("opted_out");

        (await client.PostAsync("unsubscribe/" + new string('x', 43), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
