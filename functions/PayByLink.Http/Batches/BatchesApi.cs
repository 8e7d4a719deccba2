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
                "(x-ms-blob-type: BlockBlob): processing starts when it lands. With \"review\": true the file is checked when it lands and " +
                "the batch waits at AwaitingConfirmation, with the check as its review, until it is confirmed or cancelled.")
            .Accepts<StartBatchRequest>(ApiJson.ContentType);
        api.MapPost(ApiRoutes.ConfirmBatch, Confirm).WithName("ConfirmBatch")
            .WithSummary("Start processing an uploaded batch now, or send a reviewed one")
            .WithDescription("For when the upload has not been noticed yet: 202. At AwaitingConfirmation, starts sending the checked file: 202. " +
                "Before an upload, 409 batch-not-uploaded; after a cancel, 409 batch-cancelled. Processing happens once however many times it is confirmed.");
        api.MapPost(ApiRoutes.CancelBatch, Cancel).WithName("CancelBatch")
            .WithSummary("Discard a batch, or stop one sending")
            .WithDescription("Before anything is sent (awaiting upload or confirmation), the batch is Cancelled and its file deleted. While it " +
                "sends, its lines not yet made are not made and its requests not yet sent are cancelled; it then completes with stoppedAt and " +
                "cancelledLines. 202 either way, and on repeats; 409 batch-finished for a batch that had finished.");
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
            .WithDescription("Every failed line with its line number, the record as uploaded and its reasons (at AwaitingConfirmation, " +
                "the lines that will fail). With Accept: text/csv, the " +
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

        var (started, errors) = await services.Start.ExecuteAsync(merchant, body!.FileName, body.Review ?? false, cancellationToken);
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
            ConfirmOutcome.Cancelled => Problems.Conflict("batch-cancelled", "The batch was cancelled.", "Start a new batch."),
            _ => TypedResults.Accepted($"/{ApiRoutes.Batches}/{batchId}",
                BatchView.From((await services.Read.ExecuteAsync(merchant.Id, batchId, cancellationToken))!)),
        };
    }

    public static async Task<Results<Accepted<BatchView>, NotFoundProblem, ConflictProblem>> Cancel(HttpRequest http, string batchId, BatchServices services, CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();

        var (outcome, _) = await services.Stop.ExecuteAsync(merchant.Id, batchId, http.Actor(), cancellationToken);
        return outcome switch
        {
            StopOutcome.NotFound => Problems.NotFound("Batch"),
            StopOutcome.Finished => Problems.Conflict("batch-finished", "The batch had finished: there is nothing left to stop.",
                "Cancel single requests instead."),
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
            ? FailedRecordsCsvFile.Of(merchant, state.Batch, services.Failures, cancellationToken)
            : TypedResults.Ok(new FailedRecordsView(batchId, Views(services.Failures.Of(merchant, state.Batch, cancellationToken).Lines, cancellationToken)));
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
