using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PayByLink.Core.Delivery;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;
using static PayByLink.Integration.Tests.Carrier.CarrierTestKit;

namespace PayByLink.Integration.Tests.Carrier;

[Collection(SuiteCollection.Name)]
public class FunnelTests(SuiteFixture suite)
{
    [Fact]
    public async Task A_batch_shows_how_far_its_requests_got_each_line_counted_once_at_each_step()
    {
        var merchant = await suite.NewMerchantAsync();
        var refs = Enumerable.Range(0, 4).Select(_ => BatchFiles.NewRef()).ToList();
        var batchId = await merchant.StartAndUploadAsync(BatchFiles.Csv(BatchFiles.Header,
            BatchFiles.Line(refs[0], mobile: NewMobile()), BatchFiles.Line(refs[1], "40.00", mobile: NewMobile()),
            BatchFiles.Line(refs[2], mobile: "+447700900999"), BatchFiles.Line(refs[3], "12.50", mobile: NewMobile())));
        (await merchant.WaitForFinishAsync(batchId)).Str("status").ShouldBe("Completed");
        var ids = new List<string>();
        foreach (var reference in refs)
        {
            ids.Add((await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?clientTransactionRef={reference}"))
                .GetProperty("items").EnumerateArray().Single().Str("requestId"));
        }

        var funnel = await WaitForFunnelAsync(merchant, batchId, f => f.Int("delivered") == 3 && f.Int("undeliverable") == 1);
        (funnel.Int("sent"), funnel.Int("delivered"), funnel.Int("undeliverable"), funnel.Int("opened"), funnel.Int("paid")).ShouldBe((4, 3, 1, 0, 0));

        // Opened twice, and paid (one of them after opening): each counts once.
        var page = suite.ClientWithKey(null);
        var longUrl = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{ids[0]}")).Str("longUrl");
        (await page.GetAsync(longUrl)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.GetAsync(longUrl)).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var id in new[] { ids[0], ids[1] })
        {
            (await merchant.Http.PutAsJsonAsync($"api/v1/payment-requests/{id}", new { status = "Paid" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // A carrier repeating a report counts nothing more.
        await suite.PostEventsAsync(AcsEvents.SmsReport(CarrierReferences.SmsTag(merchant.Merchant.Id, $"{ids[3]}.sms.initial"), "+447700900000",
            "+447911000000", "Delivered", "Again.", DateTimeOffset.UtcNow));

        funnel = await WaitForFunnelAsync(merchant, batchId, f => f.Int("paid") == 2 && f.Int("opened") == 1);
        (funnel.Int("sent"), funnel.Int("delivered"), funnel.Int("undeliverable"), funnel.Int("opened"), funnel.Int("paid")).ShouldBe((4, 3, 1, 1, 2));
        funnel.GetProperty("amountPaid").GetProperty("GBP").GetDecimal().ShouldBe(65.00m);
    }

    private static async Task<JsonElement> WaitForFunnelAsync(TestMerchant merchant, string batchId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var funnel = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/batches/{batchId}")).GetProperty("funnel");
            if (done(funnel) || DateTime.UtcNow > deadline)
            {
                return funnel;
            }

            await Task.Delay(200);
        }
    }
}
