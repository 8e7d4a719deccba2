using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using PayByLink.Core.Staff;
using PayByLink.Http.Batches;
using PayByLink.StaffConsole.Pages;

namespace PayByLink.StaffConsole;

/// <summary>
/// The operator's batch pages: the merchant's batches, and a batch's page with its counts and its funnel (sent,
/// delivered, opened, paid, and the amount paid) drawn on the server, updating itself while the batch runs, and its
/// failed records to download, fix and upload again. Read through the API's own use cases.
/// </summary>
public static class BatchPages
{
    private const int PageSize = 25;

    public static RouteGroupBuilder MapBatchPages(this RouteGroupBuilder console)
    {
        console.MapGet(ConsoleRoutes.Batches, List).Requires(StaffRole.Operator);
        console.MapGet(ConsoleRoutes.Batch, Show).Requires(StaffRole.Operator);
        console.MapGet(ConsoleRoutes.BatchProgress, Progress).Requires(StaffRole.Operator);
        console.MapGet(ConsoleRoutes.BatchFailedRecords, FailedRecords).Requires(StaffRole.Operator);
        console.MapPost(ConsoleRoutes.ConfirmBatch, Confirm).Requires(StaffRole.Operator);
        console.MapGet(ConsoleRoutes.StopBatch, ConfirmStop).Requires(StaffRole.Operator);
        console.MapPost(ConsoleRoutes.StopBatch, Stop).Requires(StaffRole.Operator);
        return console;
    }

    /// <summary>Sends a checked file: the API's confirm.</summary>
    private static async Task<IResult> Confirm(HttpContext http, string batchId, BatchServices services, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        if (await services.Read.ExecuteAsync(user.Merchant!.Id, batchId, cancellationToken) is not { } state)
        {
            return ConsolePages.NotFound(user);
        }

        if (state.Batch.Status != BatchStatus.AwaitingConfirmation)
        {
            return Results.Redirect(ConsoleRoutes.BatchPage(batchId)); // sent, discarded or still being checked: the page says which
        }

        await services.Confirm.ExecuteAsync(user.Merchant.Id, batchId, cancellationToken);
        await http.RecordAsync(Core.Audit.AuditActions.BatchConfirmed, batchId);
        return Results.Redirect(ConsoleRoutes.BatchPage(batchId));
    }

    /// <summary>Stopping a batch that sends asks first; discarding a file not yet sent does not (nothing is lost that was sent).</summary>
    private static async Task<IResult> ConfirmStop(HttpContext http, string batchId, BatchServices services, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        return await services.Read.ExecuteAsync(user.Merchant!.Id, batchId, cancellationToken) is { } state
            ? ConsolePages.Render<StopBatchPage>(new { User = user, State = state })
            : ConsolePages.NotFound(user);
    }

    private static async Task<IResult> Stop(HttpContext http, string batchId, BatchServices services, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var (outcome, _) = await services.Stop.ExecuteAsync(user.Merchant!.Id, batchId, user.Actor, cancellationToken);
        if (outcome == StopOutcome.NotFound)
        {
            return ConsolePages.NotFound(user);
        }

        await http.RecordAsync(Core.Audit.AuditActions.BatchStopped, batchId, outcome.ToString());
        return Results.Redirect(ConsoleRoutes.BatchPage(batchId));
    }

    private static async Task<IResult> List(HttpContext http, string? page, BatchServices services, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var number = int.TryParse(page, out var n) && n > 0 ? n : 1;
        var (items, total) = await services.Read.ListAsync(user.Merchant!.Id, number, PageSize, cancellationToken);
        return ConsolePages.Render<BatchListPage>(new { User = user, Items = items, Page = number, More = number * PageSize < total, Total = total });
    }

    private static async Task<IResult> Show(HttpContext http, string batchId, BatchServices services, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        return await services.Read.ExecuteAsync(user.Merchant!.Id, batchId, cancellationToken) is { } state
            ? ConsolePages.Render<BatchPage>(new { User = user, State = state })
            : ConsolePages.NotFound(user);
    }

    /// <summary>The live part of a batch's page, for the page's script to swap in while the batch runs: two storage reads.</summary>
    private static async Task<IResult> Progress(HttpContext http, string batchId, BatchServices services, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        return await services.Read.LiveAsync(user.Merchant!.Id, batchId, cancellationToken) is { } state
            ? ConsolePages.Render<BatchProgressPanel>(new { State = state, Merchant = user.Merchant })
            : ConsolePages.NotFound(user);
    }

    /// <summary>The failed lines as the API's CSV download: the file's own columns and an error column, ready to fix and upload again.</summary>
    private static async Task<IResult> FailedRecords(HttpContext http, string batchId, BatchServices services, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        if (await services.Read.ExecuteAsync(user.Merchant!.Id, batchId, cancellationToken) is not { } state)
        {
            return ConsolePages.NotFound(user);
        }

        await http.RecordAsync(Core.Audit.AuditActions.Exported, "failed records", batchId);
        return FailedRecordsCsvFile.Of(user.Merchant, state.Batch, services.Failures, cancellationToken);
    }
}
