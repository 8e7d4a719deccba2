using PayByLink.Core.Domain;
using PayByLink.Core.Limits;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Merchants;

public sealed class MerchantAdministrationException(string message) : Exception(message);


/// <summary>What an operator does with merchants: add them, issue, list and revoke their keys.</summary>
public sealed class MerchantAdministration(IMerchantStore merchants, ITokenSource tokens, PlatformLimits platform, TimeProvider clock)
{
    public async Task<Merchant> AddMerchantAsync(Merchant merchant, CancellationToken cancellationToken)
    {
        if (!Merchant.IsValidId(merchant.Id))
        {
            throw new MerchantAdministrationException(
                "A merchant id is 3 to 40 lower-case letters, digits and hyphens, not starting or ending with a hyphen.");
        }

        if (string.IsNullOrWhiteSpace(merchant.DisplayName) || merchant.DisplayName.Length > 60)
        {
            throw new MerchantAdministrationException("The display name is required and at most 60 characters.");
        }

        if (!Currency.TryFind(merchant.Currency, out var currency))
        {
            throw new MerchantAdministrationException($"'{merchant.Currency}' is not a supported currency.");
        }

        if (merchant.MaxAmount <= 0 || !currency.FitsMinorDigits(merchant.MaxAmount))
        {
            throw new MerchantAdministrationException("The per-request amount limit must be a positive amount in the currency's minor units.");
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(merchant.TimeZone, out _) is false)
        {
            throw new MerchantAdministrationException($"'{merchant.TimeZone}' is not a known time zone.");
        }

        var normalised = merchant with { Currency = currency.Code, DisplayName = merchant.DisplayName.Trim() };
        if (!await merchants.TryAddAsync(normalised, cancellationToken))
        {
            throw new MerchantAdministrationException($"A merchant with id '{merchant.Id}' already exists.");
        }

        return normalised;
    }

    /// <summary>Sets a merchant's limits; what is not given keeps its value. Each instance applies them within half a minute.</summary>
    public async Task<Merchant> SetLimitsAsync(string merchantId, int? requestsPerSecond, int? burst, int? dailySms, int? dailyEmails,
        CancellationToken cancellationToken)
    {
        var merchant = await merchants.RequireAsync(merchantId, cancellationToken);
        var now = platform.For(merchant);
        var limits = new MerchantLimits(requestsPerSecond ?? now.RequestsPerSecond, burst ?? now.Burst,
            dailySms ?? now.DailySms, dailyEmails ?? now.DailyEmails);
        if (limits.Problem() is { } problem)
        {
            throw new MerchantAdministrationException(problem);
        }

        var changed = merchant with { OwnLimits = limits };
        await merchants.UpdateAsync(changed, cancellationToken);
        return changed;
    }

    /// <summary>Sets how long the merchant's customers' personal data is kept; a value not given stays as it is.</summary>
    public async Task<Merchant> SetRetentionAsync(string merchantId, int? requestDays, int? batchDays, CancellationToken cancellationToken)
    {
        var merchant = await merchants.RequireAsync(merchantId, cancellationToken);
        var retention = new Retention(requestDays ?? merchant.Retention.RequestDays, batchDays ?? merchant.Retention.BatchDays);
        if (retention.Problem() is { } problem)
        {
            throw new MerchantAdministrationException(problem);
        }

        var changed = merchant with { OwnRetention = retention };
        await merchants.UpdateAsync(changed, cancellationToken);
        return changed;
    }

    /// <summary>Issues a new key. The key itself is returned once and never stored.</summary>
    public async Task<(string Key, ApiKeyRecord Record)> IssueKeyAsync(string merchantId, CancellationToken cancellationToken)
    {
        var key = tokens.NewApiKey();
        return (key, await RegisterKeyAsync(merchantId, key, cancellationToken));
    }

    /// <summary>Registers a key chosen elsewhere (the development merchant's configured key).</summary>
    public async Task<ApiKeyRecord> RegisterKeyAsync(string merchantId, string key, CancellationToken cancellationToken)
    {
        if (key.Length is < ApiKeys.MinKeyLength or > ApiKeys.MaxKeyLength || key.Any(c => c <= ' ' || c > '~'))
        {
            throw new MerchantAdministrationException(
                $"A key is {ApiKeys.MinKeyLength} to {ApiKeys.MaxKeyLength} printable ASCII characters without spaces.");
        }

        await merchants.RequireAsync(merchantId, cancellationToken);
        var active = (await merchants.ListKeysAsync(merchantId, cancellationToken)).Count(k => k.IsActive);
        if (active >= Merchant.MaxActiveKeys)
        {
            throw new MerchantAdministrationException(
                $"Merchant '{merchantId}' already has {Merchant.MaxActiveKeys} active keys: revoke one before issuing another.");
        }

        var hash = ApiKeys.Hash(key);
        var record = new ApiKeyRecord(ApiKeys.KeyId(hash), merchantId, hash, ApiKeys.Hint(key), clock.GetUtcNow(), null);
        await merchants.AddKeyAsync(record, cancellationToken);
        return record;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string merchantId, CancellationToken cancellationToken)
    {
        await merchants.RequireAsync(merchantId, cancellationToken);
        return await merchants.ListKeysAsync(merchantId, cancellationToken);
    }

    public async Task RevokeKeyAsync(string merchantId, string keyId, CancellationToken cancellationToken)
    {
        var record = await merchants.FindKeyAsync(keyId, cancellationToken);
        if (record is null || record.MerchantId != merchantId)
        {
            throw new MerchantAdministrationException($"Merchant '{merchantId}' has no key '{keyId}'.");
        }

        if (record.IsActive)
        {
            await merchants.RevokeKeyAsync(record, clock.GetUtcNow(), cancellationToken);
        }
    }
}
