using System.Text;
using Microsoft.AspNetCore.Http;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Http;

namespace PayByLink.StaffConsole;

/// <summary>
/// The list as a CSV file, the same columns as the page, written page by page as the store reads them (never held
/// whole); every cell formula-safe, so a spreadsheet never runs what a customer's name holds.
/// </summary>
public sealed class RequestListCsv(Merchant merchant, PaymentRequestFilter filter, IPaymentRequestStore requests, CancellationToken cancellationToken)
    : IResult
{
    private const int ReadPageSize = Paging.MaxPageSize;

    public static readonly string[] Columns = ["Reference", "Request", "Account", "Customer", "Amount", "Status", "Created", "Expires"];

    /// <summary>A row's cells, as the page shows them and the export writes them.</summary>
    public static string[] Cells(Merchant merchant, PaymentRequestSummary row) =>
    [
        row.ClientTransactionRef, row.RequestId, row.AccountReference, row.CustomerName,
        Currency.TryFind(row.Currency, out var currency) ? currency.Format(row.Amount) : $"{row.Amount} {row.Currency}",
        row.Status.ToString(), merchant.LocalTime(row.CreatedAt), merchant.LocalTime(row.ExpiresAt),
    ];

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"payment-requests-{merchant.Id}.csv\"";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(false), 16 * 1024);
        await writer.WriteAsync(CsvRows.Row(Columns));
        string? token = null;
        do
        {
            var page = await requests.ListAsync(merchant.Id, filter, ReadPageSize, token, cancellationToken);
            foreach (var item in page.Items)
            {
                await writer.WriteAsync(CsvRows.Row(Cells(merchant, item)));
            }

            await writer.FlushAsync(cancellationToken);
            token = page.ContinuationToken;
        }
        while (token is not null);
    }
}
