using System.Globalization;
using System.Text.Json;
using PayByLink.Core.Limits;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>Merchants (one row each) and their subscription keys (one row per key, keyed by key id, hash only).</summary>
public sealed class TableMerchantStore(StorageClients storage, IMemoryCache cache) : IMerchantStore
{
    /// <summary>Merchant settings are read on every call, so they are kept this long; keys are never cached.</summary>
    public static readonly TimeSpan SettingsCacheLifetime = TimeSpan.FromSeconds(30);

    private const string MerchantRow = "merchant";
    private const string KeyRow = "key";
    private readonly TableClient _merchants = storage.Table(StorageNames.MerchantsTable);
    private readonly TableClient _keys = storage.Table(StorageNames.ApiKeysTable);

    public async Task<Merchant?> FindAsync(string merchantId, CancellationToken cancellationToken)
    {
        if (!Merchant.IsValidId(merchantId))
        {
            return null;
        }

        if (cache.TryGetValue(CacheKey(merchantId), out Merchant? cached))
        {
            return cached;
        }

        var row = await _merchants.GetEntityIfExistsAsync<TableEntity>(merchantId, MerchantRow, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        var e = row.Value!;
        var merchant = new Merchant(e.PartitionKey, e.GetString("DisplayName"), e.GetString("Currency"),
            decimal.Parse(e.GetString("MaxAmount"), CultureInfo.InvariantCulture), e.GetString("TimeZone"), e.GetString("PhoneRegion"),
            e.GetString("Limits") is { } limits ? JsonSerializer.Deserialize<MerchantLimits>(limits, StoredJson.Options) : null,
            e.GetString("Retention") is { } retention ? JsonSerializer.Deserialize<Retention>(retention, StoredJson.Options) : null,
            e.GetString("Settings") is { } settings ? JsonSerializer.Deserialize<Core.Merchants.MerchantSettings>(settings, StoredJson.Options) : null);
        return cache.Set(CacheKey(merchantId), merchant, SettingsCacheLifetime);
    }

    private static string CacheKey(string merchantId) => "merchant:" + merchantId;

    public async Task<bool> TryAddAsync(Merchant merchant, CancellationToken cancellationToken)
    {
        try
        {
            await _merchants.AddEntityAsync(ToEntity(merchant), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task UpdateAsync(Merchant merchant, CancellationToken cancellationToken)
    {
        await _merchants.UpsertEntityAsync(ToEntity(merchant), TableUpdateMode.Replace, cancellationToken);
        cache.Remove(CacheKey(merchant.Id));
    }

    public async Task<ApiKeyRecord?> FindKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        if (keyId.Length != 16 || !keyId.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var row = await _keys.GetEntityIfExistsAsync<TableEntity>(keyId, KeyRow, cancellationToken: cancellationToken);
        return row.HasValue ? ToKey(row.Value!) : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string merchantId, CancellationToken cancellationToken)
    {
        // Keys are few and this is an operator's call, so a filter over the key table is fine here.
        var keys = new List<ApiKeyRecord>();
        await foreach (var e in _keys.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"MerchantId eq {merchantId}"),
                           cancellationToken: cancellationToken))
        {
            keys.Add(ToKey(e));
        }

        return keys.OrderBy(k => k.CreatedAt).ToList();
    }

    public Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        _keys.AddEntityAsync(new TableEntity(key.KeyId, KeyRow)
        {
            ["MerchantId"] = key.MerchantId,
            ["Hash"] = key.Hash,
            ["Hint"] = key.Hint,
            ["CreatedAt"] = key.CreatedAt,
        }, cancellationToken);

    public Task RevokeKeyAsync(ApiKeyRecord key, DateTimeOffset revokedAt, CancellationToken cancellationToken) =>
        _keys.UpdateEntityAsync(new TableEntity(key.KeyId, KeyRow) { ["RevokedAt"] = revokedAt }, ETag.All,
            TableUpdateMode.Merge, cancellationToken);

    public Task MarkKeyUsedAsync(ApiKeyRecord key, DateTimeOffset usedAt, CancellationToken cancellationToken) =>
        _keys.UpdateEntityAsync(new TableEntity(key.KeyId, KeyRow) { ["LastUsedAt"] = usedAt }, ETag.All, TableUpdateMode.Merge, cancellationToken);

    private static TableEntity ToEntity(Merchant m) => new(m.Id, MerchantRow)
    {
        ["DisplayName"] = m.DisplayName,
        ["Currency"] = m.Currency,
        ["MaxAmount"] = Amounts.Canonical(m.MaxAmount),
        ["TimeZone"] = m.TimeZone,
        ["PhoneRegion"] = m.PhoneRegion,
        ["Limits"] = m.OwnLimits is null ? null : JsonSerializer.Serialize(m.OwnLimits, StoredJson.Options),
        ["Retention"] = m.OwnRetention is null ? null : JsonSerializer.Serialize(m.OwnRetention, StoredJson.Options),
        ["Settings"] = m.OwnSettings is null ? null : JsonSerializer.Serialize(m.OwnSettings, StoredJson.Options),
    };

    private static ApiKeyRecord ToKey(TableEntity e) => new(
        e.PartitionKey, e.GetString("MerchantId"), e.GetBinary("Hash"), e.GetString("Hint"),
        e.GetDateTimeOffset("CreatedAt")!.Value, e.GetDateTimeOffset("RevokedAt"), e.GetDateTimeOffset("LastUsedAt"));
}
