using System.Globalization;
using Azure;
using Azure.Data.Tables;
using PayByLink.Core.Payments;

namespace PayByLink.Adapters.Storage;

/// <summary>
/// Payments in Table Storage: one partition per request (<c>{merchant}|{requestId}</c>) and one row per amount due
/// (<c>due-00</c> for the whole amount, <c>due-{n}</c> for instalment n), added once: the first payment of an
/// amount wins, and a second provider payment for it is refused. Beside them, a row per checkout opened and not
/// yet closed (<c>checkout|{id}</c>).
/// </summary>
public sealed class TablePaymentStore(StorageClients storage) : IPaymentStore
{
    private readonly TableClient _table = storage.Table(StorageNames.PaymentsTable);

    public async Task<PaymentRecordOutcome> TryAddAsync(Payment payment, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition(payment.MerchantId, payment.RequestId), Row(payment.Instalment))
        {
            ["Instalment"] = payment.Instalment,
            ["Amount"] = payment.Amount.ToString(CultureInfo.InvariantCulture),
            ["Currency"] = payment.Currency,
            ["Provider"] = payment.Provider,
            ["ProviderReference"] = payment.ProviderReference,
            ["PaidAt"] = payment.PaidAt,
        };
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
            return PaymentRecordOutcome.Added;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await _table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken);
            return existing.Value.GetString("Provider") == payment.Provider && existing.Value.GetString("ProviderReference") == payment.ProviderReference
                ? PaymentRecordOutcome.Replayed
                : PaymentRecordOutcome.AlreadyPaid;
        }
    }

    public async Task<IReadOnlyList<Payment>> ListAsync(string merchantId, string requestId, CancellationToken cancellationToken)
    {
        var payments = new List<Payment>();
        await foreach (var row in _table.QueryAsync<TableEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {Partition(merchantId, requestId)} and RowKey ge {"due-"} and RowKey lt {"due."}"),
                           cancellationToken: cancellationToken))
        {
            payments.Add(new Payment(merchantId, requestId, row.GetInt32("Instalment"), decimal.Parse(row.GetString("Amount"), CultureInfo.InvariantCulture),
                row.GetString("Currency"), row.GetString("Provider"), row.GetString("ProviderReference"), row.GetDateTimeOffset("PaidAt")!.Value));
        }

        return payments;
    }

    public Task AddCheckoutAsync(string merchantId, string requestId, string checkoutId, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(Partition(merchantId, requestId), CheckoutPrefix + checkoutId), TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<string>> ListCheckoutsAsync(string merchantId, string requestId, CancellationToken cancellationToken)
    {
        var checkouts = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter(
                           $"PartitionKey eq {Partition(merchantId, requestId)} and RowKey gt {CheckoutPrefix} and RowKey lt {"checkout}"}"),
                           select: ["RowKey"], cancellationToken: cancellationToken))
        {
            checkouts.Add(row.RowKey[CheckoutPrefix.Length..]);
        }

        return checkouts;
    }

    public Task RemoveCheckoutAsync(string merchantId, string requestId, string checkoutId, CancellationToken cancellationToken) =>
        _table.DeleteEntityAsync(Partition(merchantId, requestId), CheckoutPrefix + checkoutId, ETag.All, cancellationToken);

    /// <summary>A checkout opened for the request and not yet closed: <c>checkout|{provider's id}</c>.</summary>
    private const string CheckoutPrefix = "checkout|";

    private static string Partition(string merchantId, string requestId) => $"{merchantId}|{requestId}";

    private static string Row(int? instalment) => "due-" + (instalment ?? 0).ToString("D2", CultureInfo.InvariantCulture);
}
