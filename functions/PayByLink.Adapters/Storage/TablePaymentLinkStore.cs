using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using PayByLink.Adapters.Secrets;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Links, one partition each, under the keyed hash of their short code (<see cref="LookupHasher"/>), holding the
/// request's ids and the payment token encrypted (<see cref="SecretProtector"/>): neither the code nor the token is
/// stored in clear. A token begins with its short code, so a customer's click on either is one point read (the token
/// is compared in constant time). A link whose token does not begin with its code (made before tokens did) has a
/// second row under the keyed hash of its token (<c>t|{hash}</c>).
/// </summary>
public sealed class TablePaymentLinkStore(StorageClients storage, LookupHasher hasher, SecretProtector protector) : IPaymentLinkStore
{
    private const string Row = "link";
    private const string TokenPrefix = "t|";
    private const int ShortCodeLength = 10;
    private readonly TableClient _table = storage.Table(StorageNames.PaymentLinksTable);

    public async Task<bool> TryAddAsync(PaymentLink link, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(Entity(link), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<PaymentLink?> FindByCodeAsync(string shortCode, CancellationToken cancellationToken)
    {
        if (shortCode.Length != ShortCodeLength || !shortCode.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var row = await _table.GetEntityIfExistsAsync<TableEntity>(hasher.Hash(shortCode), Row, cancellationToken: cancellationToken);
        return row.HasValue ? Read(shortCode, row.Value!) : null;
    }

    public async Task<PaymentLink?> FindByTokenAsync(string paymentToken, CancellationToken cancellationToken)
    {
        // Tokens are 43 base64url characters; anything else cannot be one.
        if (paymentToken.Length != 43 || !paymentToken.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        if (await FindByCodeAsync(paymentToken[..ShortCodeLength], cancellationToken) is { } link &&
            CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(link.PaymentToken), Encoding.ASCII.GetBytes(paymentToken)))
        {
            return link;
        }

        var row = await _table.GetEntityIfExistsAsync<TableEntity>(TokenPrefix + hasher.Hash(paymentToken), Row, cancellationToken: cancellationToken);
        return row.HasValue ? Read(protector.Unprotect(row.Value!.GetString("ShortCode")), row.Value) : null;
    }

    /// <summary>
    /// Moves links stored before codes were hashed and tokens encrypted, and re-encrypts tokens under a key being
    /// rotated out; the number of links rewritten.
    /// </summary>
    internal async Task<int> ProtectStoredLinksAsync(CancellationToken cancellationToken)
    {
        var rewritten = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            if (row.PartitionKey.Length == ShortCodeLength)
            {
                // In clear: the code its key, the token beside it; a legacy token's SHA-256 row is replaced with it.
                var link = new PaymentLink(row.PartitionKey, row.GetString("PaymentToken"), row.GetString("MerchantId"), row.GetString("RequestId"));
                await _table.UpsertEntityAsync(Entity(link), TableUpdateMode.Replace, cancellationToken);
                if (!link.PaymentToken.StartsWith(link.ShortCode, StringComparison.Ordinal))
                {
                    await _table.UpsertEntityAsync(TokenEntity(link), TableUpdateMode.Replace, cancellationToken);
                }

                await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                rewritten++;
            }
            else if (row.PartitionKey.StartsWith(TokenPrefix, StringComparison.Ordinal) && !row.ContainsKey("Token"))
            {
                await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            }
            else if (row.GetString("Token") is { } token && !protector.IsCurrent(token))
            {
                row["Token"] = protector.Protect(protector.Unprotect(token));
                if (row.GetString("ShortCode") is { } code)
                {
                    row["ShortCode"] = protector.Protect(protector.Unprotect(code));
                }

                await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                rewritten++;
            }
        }

        return rewritten;
    }

    private TableEntity Entity(PaymentLink link) => new(hasher.Hash(link.ShortCode), Row)
    {
        ["Token"] = protector.Protect(link.PaymentToken),
        ["MerchantId"] = link.MerchantId,
        ["RequestId"] = link.RequestId,
    };

    private TableEntity TokenEntity(PaymentLink link) => new(TokenPrefix + hasher.Hash(link.PaymentToken), Row)
    {
        ["ShortCode"] = protector.Protect(link.ShortCode),
        ["Token"] = protector.Protect(link.PaymentToken),
        ["MerchantId"] = link.MerchantId,
        ["RequestId"] = link.RequestId,
    };

    private PaymentLink Read(string shortCode, TableEntity row) =>
        new(shortCode, protector.Unprotect(row.GetString("Token")), row.GetString("MerchantId"), row.GetString("RequestId"));
}
