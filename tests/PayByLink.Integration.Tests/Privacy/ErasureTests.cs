using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using PayByLink.Adapters.Storage;
using PayByLink.Integration.Tests.Carrier;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Privacy;

/// <summary>A person's erasure over HTTP, proved by reading every table afterwards.</summary>
[Collection(SuiteCollection.Name)]
public class ErasureTests(SuiteFixture suite)
{
    private static string NewName() => string.Concat(Enumerable.Range(0, 9).Select(i => (char)((i == 0 ? 'A' : 'a') + Random.Shared.Next(26))));

    [Fact]
    public async Task After_an_erasure_no_table_holds_the_persons_name_mobile_or_email_and_they_are_still_never_texted()
    {
        var merchant = await suite.NewMerchantAsync();
        var (first, last, mobile, email, onlyEmail) = (NewName(), NewName(), CarrierTestKit.NewMobile(), CarrierTestKit.NewEmail(), CarrierTestKit.NewEmail());
        var e164 = CarrierTestKit.E164(mobile);

        // A link sent and delivered on both channels, one by email alone, and someone else's.
        var single = (await (await merchant.CreateAsync(Requests.ValidCreate(firstName: first, lastName: last, mobile: mobile).With("customer.email", email)))
            .JsonAsync()).Str("requestId");
        var byEmail = (await (await merchant.CreateAsync(Requests.ValidCreate(firstName: first, lastName: last).With("customer.mobileNumber", null)
            .With("customer.email", onlyEmail))).JsonAsync()).Str("requestId");
        var kept = (await (await merchant.CreateAsync(Requests.ValidCreate(lastName: "Keeper"))).JsonAsync()).Str("requestId");
        (await merchant.WaitForAsync(single, r => r.HasDelivery("sms", "Delivered") && r.HasDelivery("email", "Delivered")))
            .HasDelivery("email", "Delivered").ShouldBeTrue();

        // A file with a line for them that is sent, and one that fails (a bad amount) still holding their details.
        var (sentRef, failedRef) = (BatchFiles.NewRef(), BatchFiles.NewRef());
        var batchId = await merchant.StartAndUploadAsync(BatchFiles.Csv(BatchFiles.Header,
            $"{sentRef},25.00,ACC-1,Council tax,{first},{last},{mobile},", $"{failedRef},-5,ACC-1,Council tax,{first},{last},{mobile},{email}"));
        (await merchant.WaitForFinishAsync(batchId)).Str("status").ShouldBe("CompletedWithErrors");

        // They text STOP.
        (await suite.TextAsync(mobile, "STOP")).IsSuccessStatusCode.ShouldBeTrue();

        var erasure = await merchant.Http.PostAsJsonAsync("api/v1/erasures", new { mobileNumber = mobile });
        var erased = await erasure.JsonAsync();
        erasure.StatusCode.ShouldBe(HttpStatusCode.OK, erased.ToString());
        (erased.Int("requests"), erased.Int("batchLines")).ShouldBe((2, 2), "the link and the file's sent line; both file lines forgotten");
        var byMail = await (await merchant.Http.PostAsJsonAsync("api/v1/erasures", new { email = onlyEmail.ToUpperInvariant() })).JsonAsync();
        byMail.Int("requests").ShouldBe(1);

        var stored = await StoredRows.ReadAsync(suite.Storage, except: StorageNames.OutboxTable);
        foreach (var value in new[] { first, last, e164, e164[1..], e164[3..], mobile.Replace(" ", ""), email, email.Split('@')[0], onlyEmail.Split('@')[0] })
        {
            stored.Where(r => r.Text.Contains(value, StringComparison.OrdinalIgnoreCase)).Select(r => r.Where).ShouldBeEmpty(value);
        }

        stored.ShouldContain(r => r.Text.Contains("Keeper", StringComparison.Ordinal), "the scan reads rows that hold names");

        // What the merchant keeps: amounts, references, status, times; the timeline says what happened.
        var request = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{single}");
        (request.Str("status"), request.GetProperty("customer").Str("lastName"), request.GetProperty("amount").GetDecimal()).ShouldBe(("Cancelled", "", 120.50m));
        (await merchant.EventTypesAsync(single)).TakeLast(2).ShouldBe(["payment_request.cancelled", "payment_request.erased"]);
        (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{kept}")).GetProperty("customer").Str("lastName").ShouldBe("Keeper");
        (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?mobileNumber={Uri.EscapeDataString(mobile)}"))
            .GetProperty("items").GetArrayLength().ShouldBe(0);

        // Repeating it changes nothing more.
        var again = await (await merchant.Http.PostAsJsonAsync("api/v1/erasures", new { mobileNumber = e164 })).JsonAsync();
        (again.Int("requests"), again.Int("optOuts"), again.Int("batchLines")).ShouldBe((0, 0, 0));

        // Their STOP still holds: a new link to them is never texted.
        var later = (await (await merchant.CreateAsync(Requests.ValidCreate(mobile: mobile).With("customer.email", null))).JsonAsync()).Str("requestId");
        var held = await merchant.WaitForAsync(later, r => r.HasDelivery("sms", "Skipped"));
        held.Delivery("sms").Str("errorCode").ShouldBe("opted_out");
    }

    [Fact]
    public async Task A_bad_erasure_gets_a_problem_and_one_merchants_erasure_leaves_anothers_customers_alone()
    {
        var (merchant, other) = (await suite.NewMerchantAsync(), await suite.NewMerchantAsync());
        foreach (var body in new object[] { new { }, new { mobileNumber = "07700 900123", email = "a@example.com" }, new { email = "not an email" } })
        {
            var response = await merchant.Http.PostAsJsonAsync("api/v1/erasures", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        var mobile = CarrierTestKit.NewMobile();
        var theirs = (await (await other.CreateAsync(Requests.ValidCreate(lastName: "Elsewhere", mobile: mobile))).JsonAsync()).Str("requestId");
        (await (await merchant.Http.PostAsJsonAsync("api/v1/erasures", new { mobileNumber = mobile })).JsonAsync()).Int("requests").ShouldBe(0);
        (await other.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{theirs}")).GetProperty("customer").Str("lastName").ShouldBe("Elsewhere");
    }
}
