using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Links, one partition each, so a customer's click is a single point read: by short code, and by the SHA-256 of
/// the payment token (the token itself, a bearer secret, is kept only on the code's row and the request).
/// </summary>
public sealed class TablePaymentLinkStore(StorageClients storage) : IPaymentLinkStore
{
    private const string Row = "link";
    private const string TokenPrefix = "t|";
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
            await _table.UpsertEntityAsync(new TableEntity(TokenKey(link.PaymentToken), Row)
            {
                ["ShortCode"] = link.ShortCode,
                ["MerchantId"] = link.MerchantId,
                ["RequestId"] = link.RequestId,
            }, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<PaymentLink?> FindByCodeAsync(string shortCode, CancellationToken cancellationToken)
    {
        if (shortCode.Length != 10 || !shortCode.All(char.IsAsciiLetterOrDigit))
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

        var row = await _table.GetEntityIfExistsAsync<TableEntity>(TokenKey(paymentToken), Row, cancellationToken: cancellationToken);
        return row.HasValue
            ? new PaymentLink(row.Value!.GetString("ShortCode"), paymentToken, row.Value.GetString("MerchantId"), row.Value.GetString("RequestId"))
            : null;
    }

    private static string TokenKey(string paymentToken) =>
        TokenPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(paymentToken)));
}
