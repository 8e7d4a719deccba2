using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>Short codes, one partition each, so a customer's click is a single point read.</summary>
public sealed class TablePaymentLinkStore(StorageClients storage) : IPaymentLinkStore
{
    private const string Row = "link";
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
        if (shortCode.Length != 10 || !shortCode.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var row = await _table.GetEntityIfExistsAsync<TableEntity>(shortCode, Row, cancellationToken: cancellationToken);
        return row.HasValue
            ? new PaymentLink(shortCode, row.Value!.GetString("PaymentToken"), row.Value.GetString("MerchantId"), row.Value.GetString("RequestId"))
            : null;
    }
}
