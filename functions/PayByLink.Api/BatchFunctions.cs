using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PayByLink.Http;
using PayByLink.Http.Batches;

namespace PayByLink.Api;

/// <summary>The batch API as HTTP-triggered functions: each one hands its request to the shared handler.</summary>
public sealed class BatchFunctions(BatchServices services)
{
    [Function("StartBatch")]
    public async Task<IResult> Start(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Batches)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await BatchesApi.Start(request, services, cancellationToken);

    [Function("ConfirmBatch")]
    public async Task<IResult> Confirm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.ConfirmBatch)] HttpRequest request,
        string batchId,
        CancellationToken cancellationToken) =>
        await BatchesApi.Confirm(request, batchId, services, cancellationToken);

    [Function("CancelBatch")]
    public async Task<IResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.CancelBatch)] HttpRequest request,
        string batchId,
        CancellationToken cancellationToken) =>
        await BatchesApi.Cancel(request, batchId, services, cancellationToken);

    [Function("GetBatch")]
    public async Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Batch)] HttpRequest request,
        string batchId,
        CancellationToken cancellationToken) =>
        await BatchesApi.Get(request, batchId, services, cancellationToken);

    [Function("ListBatches")]
    public async Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Batches)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await BatchesApi.List(request, services, cancellationToken);

    [Function("ListFailedRecords")]
    public async Task<IResult> FailedRecords(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.FailedRecords)] HttpRequest request,
        string batchId,
        CancellationToken cancellationToken) =>
        await BatchesApi.FailedRecords(request, batchId, services, cancellationToken);
}
