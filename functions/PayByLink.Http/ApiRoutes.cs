namespace PayByLink.Http;

/// <summary>
/// Routes below the <c>/api</c> prefix. The Functions host adds the prefix itself (host.json routePrefix);
/// the local runtime maps the same routes under <see cref="Prefix"/>.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "/api";
    public const string PaymentRequests = "v1/payment-requests";
    public const string PaymentRequest = "v1/payment-requests/{requestId}";
    public const string Health = "health";
    public const string Batches = "v1/batches";
    public const string Batch = "v1/batches/{batchId}";
    public const string ConfirmBatch = "v1/batches/{batchId}/confirm";
    public const string FailedRecords = "v1/batches/{batchId}/failed-records";
}
