using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using Microsoft.OpenApi;

namespace PayByLink.Http.Batches;

/// <summary>The batch API. Both the local runtime and the Functions app call these handlers.</summary>
public static class BatchesApi
{
    public const string CsvContentType = "text/csv";

    public static IEndpointRouteBuilder MapBatchesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Batches");

        api.MapPost(ApiRoutes.Batches, Start).WithName("StartBatch")
            .WithSummary("Start a batch")
            .WithDescription("Answers a write-only upload URL for one CSV file, valid for 30 minutes. PUT the file to it " +
                "(x-ms-blob-type: BlockBlob): processing starts when it lands.")
            .Accepts<StartBatchRequest>(ApiJson.ContentType);
        api.MapPost(ApiRoutes.ConfirmBatch, Confirm).WithName("ConfirmBatch")
            .WithSummary("Start processing an uploaded batch now")
            .WithDescription("For when the upload has not been noticed yet: 202. Before an upload, 409 batch-not-uploaded. " +
                "Processing happens once however many times it is confirmed.");
        api.MapGet(ApiRoutes.Batch, Get).WithName("GetBatch")
            .WithSummary("Get a batch")
            .WithDescription("Status and counts: totalRecords = accepted (awaiting delivery) + sent + failed + pending (not read yet).");
        api.MapGet(ApiRoutes.Batches, List).WithName("ListBatches")
            .WithSummary("List batches")
            .WithDescription("The merchant's batches, newest first, with totalCount.")
            .WithQueryParameters(
                ApiDocument.Query("page", "Page number from 1; 1 when absent.", JsonSchemaType.Integer, "1", "int32"),
                ApiDocument.Query("pageSize", $"1 to {Paging.MaxPageSize}; {Paging.DefaultPageSize} when absent.", JsonSchemaType.Integer, "25", "int32"));
        FailedRecordsCsvFile.Documented(api.MapGet(ApiRoutes.FailedRecords, FailedRecords)).WithName("ListFailedRecords")
            .WithSummary("List a batch's failed lines")
            .WithDescription("Every failed line with its line number, the record as uploaded and its reasons. With Accept: text/csv, the " +
                "failed lines in the upload format plus an Error column, ready to fix and upload as a new batch.");
        return app;
    }

    public static async Task<Results<Created<StartedBatchView>, ValidationProblem, BodyProblem>> Start(HttpRequest http, BatchServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var (body, problem) = await JsonBody.ReadAsync<StartBatchRequest>(http, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (started, errors) = await services.Start.ExecuteAsync(merchant, body!.FileName, cancellationToken);
        return started is null
            ? Problems.Validation(errors)
            : TypedResults.Created($"/{ApiRoutes.Batches}/{started.Batch.BatchId}", StartedBatchView.From(started));
    }

    public static async Task<Results<Accepted<BatchView>, NotFoundProblem, ConflictProblem>> Confirm(HttpRequest http, string batchId, BatchServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var (outcome, _) = await services.Confirm.ExecuteAsync(merchant.Id, batchId, cancellationToken);
        return outcome switch
        {
            ConfirmOutcome.NotFound => Problems.NotFound("Batch"),
            ConfirmOutcome.NotUploaded => Problems.Conflict("batch-not-uploaded", "Nothing has been uploaded for this batch yet.",
                "PUT the file to the batch's uploadUrl first, then confirm."),
            ConfirmOutcome.Expired => Problems.Conflict("batch-expired", "The batch expired before a file was uploaded.",
                "Start a new batch."),
            _ => TypedResults.Accepted($"/{ApiRoutes.Batches}/{batchId}",
                BatchView.From((await services.Read.ExecuteAsync(merchant.Id, batchId, cancellationToken))!)),
        };
    }

    public static async Task<Results<Ok<BatchView>, NotFoundProblem>> Get(HttpRequest http, string batchId, BatchServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var state = await services.Read.ExecuteAsync(merchant.Id, batchId, cancellationToken);
        return state is null ? Problems.NotFound("Batch") : TypedResults.Ok(BatchView.From(state));
    }

    public static async Task<Results<Ok<BatchListView>, ValidationProblem>> List(HttpRequest http, BatchServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var errors = new FieldErrors();
        var page = Paging.PageNumber(http.Query["page"].FirstOrDefault(), errors);
        var pageSize = Paging.PageSize(http.Query["pageSize"].FirstOrDefault(), errors);
        if (errors.Any)
        {
            return Problems.Validation(errors.All);
        }

        var (items, total) = await services.Read.ListAsync(merchant.Id, page, pageSize, cancellationToken);
        return TypedResults.Ok(new BatchListView(items.Select(BatchView.From).ToList(), page, pageSize, total));
    }

    public static async Task<Results<Ok<FailedRecordsView>, FailedRecordsCsvFile, NotFoundProblem>> FailedRecords(HttpRequest http, string batchId, BatchServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var state = await services.Read.ExecuteAsync(merchant.Id, batchId, cancellationToken);
        if (state is null)
        {
            return Problems.NotFound("Batch");
        }

        return WantsCsv(http)
            ? FailedRecordsCsvFile.Of(state.Batch, services.Ledger, cancellationToken)
            : TypedResults.Ok(new FailedRecordsView(batchId, Views(services.Ledger.ListFailedAsync(merchant.Id, batchId, cancellationToken), cancellationToken)));
    }

    private static async IAsyncEnumerable<FailedRecordView> Views(IAsyncEnumerable<FailedBatchLine> lines,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in lines.WithCancellation(cancellationToken))
        {
            yield return FailedRecordView.From(line);
        }
    }

    private static bool WantsCsv(HttpRequest http) =>
        MediaTypeHeaderValue.TryParseList(http.Headers.Accept, out var accepted) &&
        accepted.Any(a => a.MediaType.Equals(CsvContentType, StringComparison.OrdinalIgnoreCase));
}
