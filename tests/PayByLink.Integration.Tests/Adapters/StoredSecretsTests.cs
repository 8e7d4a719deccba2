using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters.Secrets;
using PayByLink.Adapters.Storage;
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

        var stored = await AllRowsTextAsync();

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

    /// <summary>Every row of every table, as text.</summary>
    private async Task<string> AllRowsTextAsync()
    {
        var text = new System.Text.StringBuilder();
        foreach (var name in StorageNames.Tables)
        {
            await foreach (var row in suite.Storage.Table(name).QueryAsync<TableEntity>())
            {
                foreach (var (key, value) in row)
                {
                    text.Append(key).Append('=').Append(value).Append('\n');
                }
            }
        }

        return text.ToString();
    }
}
