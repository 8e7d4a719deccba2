using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;

namespace PayByLink.Http.Batches;

/// <summary>
/// Failed lines in the upload format plus an <c>Error</c> column, ready to fix and upload again. Cells a
/// spreadsheet would run as formulas are escaped with a leading apostrophe (the upload reads them back as they were).
/// </summary>
public static class FailedRecordsCsv
{
    public static IReadOnlyList<string> Columns(IReadOnlyList<string> header) =>
        header.Where(c => !string.Equals(c, BatchFile.Error, StringComparison.OrdinalIgnoreCase)).Append(BatchFile.Error).ToList();

    public static async Task WriteAsync(TextWriter writer, IReadOnlyList<string> header, IAsyncEnumerable<FailedBatchLine> lines,
        CancellationToken cancellationToken)
    {
        var uploaded = new BatchHeader(header);
        var columns = Columns(header);
        await writer.WriteAsync(CsvRows.Row(columns));
        await foreach (var line in lines.WithCancellation(cancellationToken))
        {
            var record = new CsvRecordReader(new StringReader(line.Raw)).Read();
            var cells = new List<string>(columns.Count);
            var readable = record is { IsMalformed: false } && record.Fields.Count == header.Count;
            for (var i = 0; i < columns.Count - 1; i++)
            {
                var index = uploaded.IndexOf(columns[i]);
                cells.Add(readable ? record!.Fields[index] : i == 0 ? line.Raw : "");
            }

            cells.Add(string.Join("; ", line.Errors.Select(e => $"{e.Field}: {e.Message}")));
            await writer.WriteAsync(CsvRows.Row(cells));
        }
    }
}

/// <summary>
/// The failed lines as a CSV download, written as they are read; its type adds text/csv to the 200 answer the OpenAPI
/// document gives, beside the JSON list (<see cref="Documented"/>).
/// </summary>
public sealed class FailedRecordsCsvFile(string batchId, IReadOnlyList<string> header, IAsyncEnumerable<FailedBatchLine> lines,
    CancellationToken cancellationToken) : IResult
{
    /// <summary>A batch's failed lines (<see cref="BatchFailures"/>).</summary>
    public static FailedRecordsCsvFile Of(Merchant merchant, Batch batch, BatchFailures failures, CancellationToken cancellationToken)
    {
        var (header, lines) = failures.Of(merchant, batch, cancellationToken);
        return new(batch.BatchId, header, lines, cancellationToken);
    }

    public Task ExecuteAsync(HttpContext httpContext) =>
        TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            await FailedRecordsCsv.WriteAsync(writer, header, lines, cancellationToken);
        }, BatchesApi.CsvContentType + "; charset=utf-8", $"{batchId}-failed-records.csv").ExecuteAsync(httpContext);

    /// <summary>Adds the CSV download to the endpoint's 200 answer in the OpenAPI document.</summary>
    public static RouteHandlerBuilder Documented(RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            {
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                response.Content[BatchesApi.CsvContentType] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The failed lines in the upload format, plus an Error column." },
                };
            }

            return Task.CompletedTask;
        });
}
