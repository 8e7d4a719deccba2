using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using PayByLink.Core.Staff;
using PayByLink.Http.Batches;
using PayByLink.StaffConsole.Pages;

namespace PayByLink.StaffConsole;

/// <summary>
/// Uploading a batch file in the console, always for review: nothing is sent until the operator confirms on the
/// batch's page. With script, the browser asks for the batch's upload URL and PUTs the file straight to storage with a
/// progress bar (storage lets exactly the console's origin do so), then says it is uploaded; without, the file is
/// posted here and written to the same URL. Either way the file is checked by the API's own batch processing.
/// </summary>
public static class BatchUploadPages
{
    /// <summary>A form post carries the file and a few fields: the file's limit and room for the rest.</summary>
    private const long FormLimit = BatchFile.MaxBytes + 64 * 1024;

    public static RouteGroupBuilder MapBatchUploadPages(this RouteGroupBuilder console)
    {
        console.MapGet(ConsoleRoutes.NewBatch, NewForm).Requires(StaffRole.Operator);
        console.MapPost(ConsoleRoutes.NewBatch, Upload).Requires(StaffRole.Operator).WithMetadata(new UploadSizeLimit(FormLimit));
        console.MapPost(ConsoleRoutes.BatchUploadUrl, UploadUrl).Requires(StaffRole.Operator);
        console.MapPost(ConsoleRoutes.BatchUploaded, Uploaded).Requires(StaffRole.Operator);
        return console;
    }

    private static IResult NewForm(HttpContext http) =>
        ConsolePages.Render<NewBatchPage>(new { User = http.ConsoleUser() });

    /// <summary>The file posted without script: written to the batch's upload URL, as the browser would.</summary>
    private static async Task<IResult> Upload(HttpContext http, BatchServices services, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("file");
        if (Refusal(file?.FileName, file?.Length ?? 0) is { } refused)
        {
            return Again(user, refused);
        }

        var (started, errors) = await services.Start.ExecuteAsync(user.Merchant!, file!.FileName, review: true, cancellationToken);
        if (started is null)
        {
            return Again(user, new FieldError("file", errors[0].Code, errors[0].Message));
        }

        await using (var content = file.OpenReadStream())
        {
            // One Put Blob, as the browser's: the URL may create the blob, nothing else.
            await new BlobClient(started.UploadUrl).UploadAsync(content, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = BatchesApi.CsvContentType },
                TransferOptions = new() { InitialTransferSize = BatchFile.MaxBytes, MaximumTransferSize = BatchFile.MaxBytes },
            }, cancellationToken);
        }

        return await UploadedAsync(user, started.Batch.BatchId, services, cancellationToken);
    }

    /// <summary>For the page's script: a batch for review and the URL to PUT its file to, or why not.</summary>
    private static async Task<IResult> UploadUrl(HttpContext http, BatchServices services, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var size = long.TryParse(form["size"], out var n) ? n : 0;
        if (Refusal(form["fileName"], size) is { } refused)
        {
            return Results.Json(new { error = refused.Message }, statusCode: StatusCodes.Status400BadRequest);
        }

        var (started, errors) = await services.Start.ExecuteAsync(user.Merchant!, form["fileName"], review: true, cancellationToken);
        return started is null
            ? Results.Json(new { error = errors[0].Message }, statusCode: StatusCodes.Status400BadRequest)
            : Results.Json(new
            {
                uploadUrl = started.UploadUrl.ToString(),
                uploaded = ConsoleRoutes.ForBatch(ConsoleRoutes.BatchUploaded, started.Batch.BatchId),
            });
    }

    /// <summary>The browser put the file: the batch is checked now rather than when storage's notice comes.</summary>
    private static async Task<IResult> Uploaded(HttpContext http, string batchId, BatchServices services, CancellationToken cancellationToken) =>
        await UploadedAsync(http.ConsoleUser(), batchId, services, cancellationToken);

    private static async Task<IResult> UploadedAsync(ConsoleUser user, string batchId, BatchServices services, CancellationToken cancellationToken)
    {
        var (outcome, _) = await services.Confirm.ExecuteAsync(user.Merchant!.Id, batchId, cancellationToken);
        return outcome switch
        {
            ConfirmOutcome.NotFound => ConsolePages.NotFound(user),
            ConfirmOutcome.NotUploaded => Again(user, new FieldError("file", "not_uploaded", "The file did not arrive. Choose it and upload it again.")),
            _ => Results.Redirect(ConsoleRoutes.BatchPage(batchId)),
        };
    }

    /// <summary>Why a file cannot be a batch before a byte of it is sent: none chosen, not a CSV, or over the size limit.</summary>
    public static FieldError? Refusal(string? fileName, long size) =>
        string.IsNullOrWhiteSpace(fileName) || size == 0 ? new FieldError("file", "required", "Choose a CSV file to upload.")
        : !fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? new FieldError("file", "not_csv", "The file must be a CSV file (ending .csv).")
        : size > BatchFile.MaxBytes ? new FieldError("file", "too_large",
            $"The file is {Megabytes(size)}: a batch file can be at most {Megabytes(BatchFile.MaxBytes)} ({BatchFile.MaxRecords:N0} lines). Split it into smaller files.")
        : null;

    public static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):0.#} MB";

    private static IResult Again(ConsoleUser user, FieldError error) =>
        ConsolePages.Render<NewBatchPage>(new { User = user, Errors = new[] { error } }, StatusCodes.Status400BadRequest);

    /// <summary>The most a route's request body may hold, over the server's own limit.</summary>
    private sealed record UploadSizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
