namespace PayByLink.Http;

/// <summary>
/// The API's routes from the site root: the Functions host has no route prefix (host.json), because the customer
/// pages live outside <c>/api</c>, and the local runtime maps the very same routes.
/// </summary>
public static class ApiRoutes
{
    public const string PaymentRequests = "api/v1/payment-requests";
    public const string PaymentRequest = "api/v1/payment-requests/{requestId}";
    public const string Health = "api/health";
    public const string Batches = "api/v1/batches";
    public const string Batch = "api/v1/batches/{batchId}";
    public const string ConfirmBatch = "api/v1/batches/{batchId}/confirm";
    public const string CancelBatch = "api/v1/batches/{batchId}/cancel";
    public const string FailedRecords = "api/v1/batches/{batchId}/failed-records";
    public const string PaymentRequestEvents = "api/v1/payment-requests/{requestId}/events";
    public const string ResendPaymentRequest = "api/v1/payment-requests/{requestId}/resend";
    public const string BatchEvents = "api/v1/batches/{batchId}/events";
    public const string WebhookEndpoints = "api/v1/webhook-endpoints";
    public const string WebhookEndpoint = "api/v1/webhook-endpoints/{endpointId}";
    public const string RotateWebhookSecret = "api/v1/webhook-endpoints/{endpointId}/rotate-secret";
    public const string EnableWebhookEndpoint = "api/v1/webhook-endpoints/{endpointId}/enable";
    public const string WebhookDeliveries = "api/v1/webhook-endpoints/{endpointId}/deliveries";
    public const string RedeliverEvent = "api/v1/events/{eventId}/redeliver";
    public const string OptOuts = "api/v1/opt-outs";
    public const string Erasures = "api/v1/erasures";
    public const string Stats = "api/v1/stats";
    public const string CarrierEvents = "api/acs/events";
}
