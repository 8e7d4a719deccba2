using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Links, one partition each: the short code's row holds the link and its payment token, and since a token begins
/// with its short code, a customer's click on either is one point read (the token is compared in constant time).
/// Links made before tokens began with their code are found by the SHA-256 of the token (<c>t|{hash}</c>), as then.
/// </summary>
public sealed class TablePaymentLinkStore(StorageClients storage) : IPaymentLinkStore
{
    private const string Row = "link";
    private const string TokenPrefix = "t|";
    private const int ShortCodeLength = 10;
    private readonly TableClient _table = storage.Table(StorageNames.PaymentLinksTable);

    public async Task<bool> TryAddAsync(PaymentLink link, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(new TableEntity(link.ShortCode, Row)
            {
                ["PaymentToken"] = link.PaymentToken,
                ["MerchantId"] = link.MerchantId,
                ["RequestId"] = link.RequestId,
            }, cancellationToken);
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

        var row = await _table.GetEntityIfExistsAsync<TableEntity>(shortCode, Row, cancellationToken: cancellationToken);
        return row.HasValue
            ? new PaymentLink(shortCode, row.Value!.GetString("PaymentToken"), row.Value.GetString("MerchantId"), row.Value.GetString("RequestId"))
            : null;
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

        var row = await _table.GetEntityIfExistsAsync<TableEntity>(TokenKey(paymentToken), Row, cancellationToken: cancellationToken);
        return row.HasValue
            ? new PaymentLink(row.Value!.GetString("ShortCode"), paymentToken, row.Value.GetString("MerchantId"), row.Value.GetString("RequestId"))
            : null;
    }

    private static string TokenKey(string paymentToken) =>
        TokenPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(paymentToken)));
}
