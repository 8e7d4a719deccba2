using PayByLink.Core.Domain;

namespace PayByLink.Adapters.Storage;

/// <summary>Every table and queue the suite uses; the infrastructure creates the same names.</summary>
public static class StorageNames
{
    public const string MerchantsTable = "Merchants";
    public const string ApiKeysTable = "ApiKeys";
    public const string PaymentRequestsTable = "PaymentRequests";
    public const string PaymentRequestIndexTable = "PaymentRequestIndex";
    public const string PaymentLinksTable = "PaymentLinks";
    public const string OutboxTable = "Outbox";
    public const string ScheduleTable = "Schedule";
    public const string PaymentsTable = "Payments";
    public const string BatchesTable = "Batches";
    public const string BatchLinesTable = "BatchLines";
    public const string WebhooksTable = "Webhooks";
    public const string OptOutsTable = "OptOuts";
    public const string DeliveryReferencesTable = "DeliveryReferences";
    public const string BatchFunnelsTable = "BatchFunnels";

    /// <summary>Where merchants upload batch files, one blob per batch (<c>{merchantId}/{batchId}.csv</c>).</summary>
    public const string BatchUploadsContainer = "batch-uploads";

    /// <summary>Batches confirmed by their merchant, waiting to be processed.</summary>
    public const string BatchProcessQueue = "batch-process";

    /// <summary>Webhook delivery work: an endpoint and a request or batch whose events it is to be sent.</summary>
    public const string WebhookQueue = "webhook-deliveries";

    public const string SmsQueue = "send-sms";
    public const string EmailQueue = "send-email";

    public static readonly string[] Tables = [MerchantsTable, ApiKeysTable, PaymentRequestsTable, PaymentRequestIndexTable, PaymentLinksTable, OutboxTable, ScheduleTable, PaymentsTable, BatchesTable, BatchLinesTable, WebhooksTable,
        OptOutsTable, DeliveryReferencesTable, BatchFunnelsTable];
    public const string PoisonSuffix = "-poison";

    public static readonly string[] Queues =
        [SmsQueue, EmailQueue, SmsQueue + PoisonSuffix, EmailQueue + PoisonSuffix, BatchProcessQueue, BatchProcessQueue + PoisonSuffix, WebhookQueue,
         WebhookQueue + PoisonSuffix];

    public static readonly string[] Containers = [BatchUploadsContainer];

    public static string QueueFor(Channel channel) => channel switch
    {
        Channel.Sms => SmsQueue,
        Channel.Email => EmailQueue,
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };
}
