using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters.Secrets;
using PayByLink.Adapters.Storage;
using System.Net;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Ports;
using PayByLink.Core.Webhooks;
using PayByLink.Integration.Tests.Infrastructure;

namespace PayByLink.Integration.Tests.Adapters;

public class SecretProtectorTests
{
    [Fact]
    public void A_secret_is_sealed_under_the_named_key_with_a_new_nonce_each_time_and_opens_again()
    {
        var protector = new SecretProtector("k2", "key material two");

        var (first, second) = (protector.Protect("whsec_abc"), protector.Protect("whsec_abc"));

        first.ShouldStartWith("pbl1:k2:");
        first.ShouldNotContain("whsec_abc");
        first.ShouldNotBe(second);
        protector.Unprotect(first).ShouldBe("whsec_abc");
        protector.IsCurrent(first).ShouldBeTrue();
    }

    [Fact]
    public void While_a_key_rotates_secrets_sealed_under_the_previous_key_still_open_and_new_ones_use_the_new_key()
    {
        var old = new SecretProtector("k1", "key material one").Protect("whsec_old");
        var rotating = new SecretProtector("k2", "key material two", "k1", "key material one");

        rotating.Unprotect(old).ShouldBe("whsec_old");
        rotating.IsCurrent(old).ShouldBeFalse();
        rotating.Protect("whsec_new").ShouldStartWith("pbl1:k2:");
        Should.Throw<CryptographicException>(() => new SecretProtector("k2", "key material two").Unprotect(old));
    }

    [Fact]
    public void An_altered_cipher_text_or_a_key_of_the_same_id_with_other_material_does_not_open()
    {
        var sealedSecret = new SecretProtector("k1", "key material one").Protect("whsec_abc");
        var altered = sealedSecret[..^2] + (sealedSecret[^2] == 'A' ? "B" : "A") + sealedSecret[^1];

        Should.Throw<CryptographicException>(() => new SecretProtector("k1", "key material one").Unprotect(altered));
        Should.Throw<CryptographicException>(() => new SecretProtector("k1", "other material").Unprotect(sealedSecret));
    }

    [Fact]
    public void A_secret_stored_before_encryption_reads_as_it_is_and_an_unresolved_key_vault_reference_is_no_key()
    {
        new SecretProtector("k1", "key material one").Unprotect("whsec_legacy").ShouldBe("whsec_legacy");
        Should.Throw<ArgumentException>(() => new SecretProtector("k1", "@Microsoft.KeyVault(VaultName=kv;SecretName=secrets-encryption-key)"));
    }
}

[Collection(SuiteCollection.Name)]
public class StoredSecretsTests(SuiteFixture suite)
{
    [Fact]
    public async Task An_endpoints_signing_secrets_are_never_in_storage_in_clear_and_still_sign()
    {
        var merchant = await suite.NewMerchantAsync();
        var created = await (await merchant.Http.PostAsJsonAsync("api/v1/webhook-endpoints", new { url = "https://hooks.example.com/in", events = new[] { "*" } }))
            .JsonAsync();
        var rotated = await (await merchant.Http.PostAsync($"api/v1/webhook-endpoints/{created.Str("endpointId")}/rotate-secret", null)).JsonAsync();
        var secrets = new[] { created.Str("secret"), rotated.Str("secret") };

        var stored = await StoredRows.TextAsync(suite.Storage);

        foreach (var secret in secrets)
        {
            stored.ShouldNotContain(secret);
        }

        var endpoint = (await suite.Runtime.Services.GetRequiredService<IWebhookStore>()
            .FindEndpointAsync(merchant.Merchant.Id, created.Str("endpointId"), CancellationToken.None))!.Value;
        endpoint.SigningSecrets(DateTimeOffset.UtcNow).ShouldBe([secrets[1], secrets[0]]);
    }

    [Fact]
    public async Task Secrets_stored_in_clear_or_under_a_key_rotated_out_are_encrypted_again_under_the_current_key()
    {
        // Storage of its own: the key rotates here, and the suite's runtime keeps its key.
        await using var own = await PrivateServices.StartAsync("legacy-secrets");
        var storage = own.Services.GetRequiredService<StorageClients>();
        var table = storage.Table(StorageNames.WebhooksTable);
        var legacy = new WebhookEndpoint("legacy-secrets", "we_legacy", "https://hooks.example.com/old", ["*"], null, "whsec_stored_in_clear",
            DateTimeOffset.UtcNow);
        await table.AddEntityAsync(new TableEntity("legacy-secrets", "endpoint|we_legacy") { ["Document"] = JsonSerializer.Serialize(legacy, StoredJson.Options) });
        var store = own.Services.GetRequiredService<TableWebhookStore>();

        (await store.FindEndpointAsync("legacy-secrets", "we_legacy", CancellationToken.None))!.Value.Secret.ShouldBe("whsec_stored_in_clear");
        (await store.ProtectStoredSecretsAsync(CancellationToken.None)).ShouldBe(1);
        (await store.ProtectStoredSecretsAsync(CancellationToken.None)).ShouldBe(0, "nothing is left to encrypt");
        var row = (await table.GetEntityAsync<TableEntity>("legacy-secrets", "endpoint|we_legacy")).Value.GetString("Document");
        row.ShouldNotContain("whsec_stored_in_clear");
        row.ShouldContain("pbl1:1:");

        // The key rotates: the previous key still opens the row, and the next pass seals it under the new key.
        var rotating = new TableWebhookStore(storage, new SecretProtector("2", "the next key", "1", PrivateServices.SecretsKey));
        (await rotating.ProtectStoredSecretsAsync(CancellationToken.None)).ShouldBe(1);
        (await table.GetEntityAsync<TableEntity>("legacy-secrets", "endpoint|we_legacy")).Value.GetString("Document").ShouldContain("pbl1:2:");
        (await new TableWebhookStore(storage, new SecretProtector("2", "the next key")).FindEndpointAsync("legacy-secrets", "we_legacy",
            CancellationToken.None))!.Value.Secret.ShouldBe("whsec_stored_in_clear");
    }

    [Fact]
    public async Task After_a_create_a_send_a_webhook_endpoint_and_a_batch_no_token_short_code_or_secret_is_in_any_table_in_clear()
    {
        var merchant = await suite.NewMerchantAsync();
        var created = await (await merchant.Http.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate())).JsonAsync();
        var sent = await merchant.WaitForAsync(created.Str("requestId"), r => r.HasDelivery("sms", "Delivered") && r.HasDelivery("email", "Delivered"));
        sent.HasDelivery("sms", "Delivered").ShouldBeTrue();
        var endpoint = await (await merchant.Http.PostAsJsonAsync("api/v1/webhook-endpoints", new { url = "https://hooks.example.com/in", events = new[] { "*" } }))
            .JsonAsync();
        var reference = BatchFiles.NewRef();
        var batchId = await merchant.StartAndUploadAsync(BatchFiles.Csv(BatchFiles.Header, BatchFiles.Line(reference)));
        (await merchant.WaitForFinishAsync(batchId)).Str("status").ShouldBe("Completed");
        var batchLine = (await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests?clientTransactionRef={reference}"))
            .GetProperty("items").EnumerateArray().Single();
        var batchRequest = await merchant.Http.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{batchLine.Str("requestId")}");

        // The links still open: found by their keyed hash, their tokens decrypted.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(suite.Runtime.BaseUrl + "/") };
        foreach (var request in new[] { created, batchRequest })
        {
            var shortLink = await browser.GetAsync(new Uri(request.Str("shortUrl")).PathAndQuery.TrimStart('/'));
            shortLink.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            shortLink.Headers.Location!.ToString().ShouldBe(request.Str("longUrl"));
            (await browser.GetAsync(new Uri(request.Str("longUrl")).PathAndQuery.TrimStart('/'))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // The local carrier's Outbox is the customer's handset and inbox: the link is in the message it was sent.
        var stored = await StoredRows.TextAsync(suite.Storage, except: StorageNames.OutboxTable);
        string[] secrets =
        [
            new Uri(created.Str("longUrl")).Segments[^1], new Uri(created.Str("shortUrl")).Segments[^1],
            new Uri(batchRequest.Str("longUrl")).Segments[^1], new Uri(batchRequest.Str("shortUrl")).Segments[^1], endpoint.Str("secret"),
        ];
        foreach (var secret in secrets)
        {
            stored.ShouldNotContain(secret, Case.Sensitive);
        }

        stored.ShouldContain(created.Str("requestId"), customMessage: "the scan reads the rows the create wrote");
    }

    [Fact]
    public async Task Links_and_requests_stored_in_clear_are_hashed_and_encrypted_by_the_migration_and_still_open()
    {
        await using var own = await PrivateServices.StartAsync("legacy-links");
        var storage = own.Services.GetRequiredService<StorageClients>();
        var links = own.Services.GetRequiredService<IPaymentLinkStore>();
        var (code, token, oldToken) = ("Ab3dE5gH7k", "Ab3dE5gH7k" + new string('x', 33), new string('Q', 43));
        var request = new PaymentRequest("legacy-links", "pr_legacy", new PaymentRequestContent("LEG-1", 10m, "GBP", "ACC", "Rent", null,
                new Customer(null, "Jane", "Smith", "+447700900123", null), [Channel.Sms], DateTimeOffset.UtcNow.AddDays(7), null, null, "fp"),
            PaymentRequestStatus.Pending, code, token, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow) { EventCount = 1 };
        var clear = JsonSerializer.Serialize(request, StoredJson.Options);

        // As links were stored before: the code as the key with the token beside it; a token not beginning with its
        // code also under its SHA-256.
        var linkTable = storage.Table(StorageNames.PaymentLinksTable);
        await linkTable.AddEntityAsync(new TableEntity(code, "link") { ["PaymentToken"] = token, ["MerchantId"] = "legacy-links", ["RequestId"] = "pr_legacy" });
        await linkTable.AddEntityAsync(new TableEntity("Zz9yX8wV7u", "link") { ["PaymentToken"] = oldToken, ["MerchantId"] = "legacy-links", ["RequestId"] = "pr_old" });
        await linkTable.AddEntityAsync(new TableEntity("t|" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(oldToken))), "link")
            { ["ShortCode"] = "Zz9yX8wV7u", ["MerchantId"] = "legacy-links", ["RequestId"] = "pr_old" });
        await storage.Table(StorageNames.PaymentRequestsTable).AddEntityAsync(new TableEntity("legacy-links|pr_legacy", "request") { ["Document"] = clear });
        await storage.Table(StorageNames.PaymentRequestsTable).AddEntityAsync(new TableEntity("legacy-links|pr_legacy", "event|000002")
            { ["Type"] = "payment_request.sent", ["CreatedAt"] = DateTimeOffset.UtcNow, ["Data"] = JsonSerializer.Serialize(new EventData(Request: request), StoredJson.Options) });
        await storage.Table(StorageNames.PaymentRequestClaimsTable).AddEntityAsync(new TableEntity("legacy-links|ref|LEG-1", "ref") { ["Document"] = clear });

        // And opt-outs, keyed by their recipient: a merchant's, and a STOP to a sender number.
        var optOutTable = storage.Table(StorageNames.OptOutsTable);
        await optOutTable.AddEntityAsync(new TableEntity("legacy-links", "sms|%2B447700900555")
            { ["Channel"] = "Sms", ["Recipient"] = "+447700900555", ["Source"] = "Merchant", ["CreatedAt"] = DateTimeOffset.UtcNow });
        await optOutTable.AddEntityAsync(new TableEntity("stop|%2B447700900000", "%2B447700900666") { ["StoppedAt"] = DateTimeOffset.UtcNow });

        var migration = own.Services.GetRequiredService<StoredDataProtection>();
        (await migration.RunAsync(CancellationToken.None)).ShouldBe(7, "two links, two opt-outs, the request, its event and its claim");
        (await migration.RunAsync(CancellationToken.None)).ShouldBe(0, "done once, a point read");

        var text = await StoredRows.TextAsync(storage);
        foreach (var secret in new[] { code, token, oldToken, "Zz9yX8wV7u", "447700900555", "447700900666" })
        {
            text.ShouldNotContain(secret, Case.Sensitive);
        }

        (await links.FindByCodeAsync(code, CancellationToken.None)).ShouldBe(new PaymentLink(code, token, "legacy-links", "pr_legacy"));
        (await links.FindByTokenAsync(token, CancellationToken.None)).ShouldBe(new PaymentLink(code, token, "legacy-links", "pr_legacy"));
        (await links.FindByTokenAsync(oldToken, CancellationToken.None)).ShouldBe(new PaymentLink("Zz9yX8wV7u", oldToken, "legacy-links", "pr_old"));
        (await links.FindByTokenAsync(code + new string('y', 33), CancellationToken.None)).ShouldBeNull();
        var optOuts = own.Services.GetRequiredService<IOptOutStore>();
        (await optOuts.FindAsync("legacy-links", Channel.Sms, "+447700900555", CancellationToken.None))!.Source.ShouldBe(OptOutSource.Merchant);
        (await optOuts.ListAsync("legacy-links", 10, null, CancellationToken.None)).Items.Single().Recipient.ShouldBe("+447700900555");
        (await optOuts.FindStopAsync("+447700900000", "+447700900666", CancellationToken.None)).ShouldNotBeNull();
        (await optOuts.FindStopAsync("+447700900000", "+447700900555", CancellationToken.None)).ShouldBeNull();
        var found = (await own.Services.GetRequiredService<IPaymentRequestStore>().FindAsync("legacy-links", "pr_legacy", CancellationToken.None))!.Value;
        (found.ShortCode, found.PaymentToken).ShouldBe((code, token));
        (await own.Services.GetRequiredService<IEventLog>().ListAsync("legacy-links", "pr_legacy", CancellationToken.None))
            .Select(e => e.Data.Request!.PaymentToken).ShouldBe([token, token]);

        // The encryption key rotates: the next run seals every link and document under the new key.
        var rotated = new SecretProtector("2", "the next key", "1", PrivateServices.SecretsKey);
        var hasher = own.Services.GetRequiredService<LookupHasher>();
        var documents = new StoredDocuments(rotated);
        (await new StoredDataProtection(storage, new TablePaymentLinkStore(storage, hasher, rotated), new TableOptOutStore(storage, hasher, rotated),
                new TableWebhookStore(storage, rotated), documents,
                rotated).RunAsync(CancellationToken.None))
            .ShouldBe(7, "three link rows (a code's, an old code's and its token's), the merchant's opt-out and the three documents");
        var onlyNew = new SecretProtector("2", "the next key");
        (await new TablePaymentLinkStore(storage, hasher, onlyNew).FindByTokenAsync(oldToken, CancellationToken.None))!.ShortCode.ShouldBe("Zz9yX8wV7u");
        (await new TableOptOutStore(storage, hasher, onlyNew).ListAsync("legacy-links", 10, null, CancellationToken.None)).Items.Single().Recipient
            .ShouldBe("+447700900555");
        (await new TablePaymentRequestStore(storage, new StoredDocuments(onlyNew)).FindAsync("legacy-links", "pr_legacy", CancellationToken.None))!.Value
            .PaymentToken.ShouldBe(token);
    }
}
