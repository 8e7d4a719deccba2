using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

namespace PayByLink.Adapters.Storage;

/// <summary>Every table and queue the suite uses; the infrastructure creates the same names.</summary>
public static class StorageNames
{
    public const string MerchantsTable = "Merchants";
    public const string ApiKeysTable = "ApiKeys";
    public const string PaymentRequestsTable = "PaymentRequests";
    public const string PaymentRequestIndexTable = "PaymentRequestIndex";

    /// <summary>The claims of client transaction references: written once, never changed, apart from the rows that change.</summary>
    public const string PaymentRequestClaimsTable = "PaymentRequestClaims";

    /// <summary>
    /// The status index rows: the one index row that moves when a request changes, in a table of its own, so that the
    /// rows deleted at volume are not among the rows that never change (an emulated table's deletes slow with its size).
    /// </summary>
    public const string PaymentRequestStatusTable = "PaymentRequestStatus";
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

    /// <summary>The messages counted against each merchant's daily caps, by day and channel (<see cref="TableMessageCounts"/>).</summary>
    public const string MessageCountsTable = "MessageCounts";

    /// <summary>Who did what to each merchant's account (<see cref="TableAuditLog"/>).</summary>
    public const string AuditLogTable = "AuditLog";

    /// <summary>Each merchant's figures by day, counted as changes happen (<see cref="TableStatsStore"/>).</summary>
    public const string MerchantStatsTable = "MerchantStats";

    /// <summary>The instances of each app serving now, each one's last heartbeat (<see cref="TableLiveInstances"/>).</summary>
    public const string InstancesTable = "Instances";

    /// <summary>Links that did not exist, opened per client and window (<see cref="TableGuessCounts"/>).</summary>
    public const string LinkGuessesTable = "LinkGuesses";

    /// <summary>Who may use each merchant's console, with their role (<see cref="TableStaffStore"/>).</summary>
    public const string StaffTable = "Staff";

    /// <summary>The console's data-protection key ring (its cookies and forms), each key encrypted (the console's TableConsoleKeyRing).</summary>
    public const string ConsoleKeysTable = "ConsoleKeys";

    /// <summary>The console's sessions: who each is, encrypted, and when it ends (the console's TableSessionStore).</summary>
    public const string ConsoleSessionsTable = "ConsoleSessions";

    /// <summary>Where merchants upload batch files, one blob per batch (<c>{merchantId}/{batchId}.csv</c>).</summary>
    public const string BatchUploadsContainer = "batch-uploads";

    /// <summary>Batches confirmed by their merchant, waiting to be processed.</summary>
    public const string BatchProcessQueue = "batch-process";

    /// <summary>Chunks of checked batch files, one message each, for the chunk workers.</summary>
    public const string BatchChunksQueue = "batch-chunks";

    /// <summary>Webhook delivery work: an endpoint and a request or batch whose events it is to be sent.</summary>
    public const string WebhookQueue = "webhook-deliveries";

    public const string SmsQueue = "send-sms";
    public const string EmailQueue = "send-email";

    /// <summary>Batch lines' first sends, apart from single links and reminders (sessions by merchant on Service Bus).</summary>
    public const string BulkSmsQueue = "send-sms-bulk";
    public const string BulkEmailQueue = "send-email-bulk";

    public static readonly string[] SendQueues = [SmsQueue, EmailQueue, BulkSmsQueue, BulkEmailQueue];

    public static readonly string[] Tables = [MerchantsTable, ApiKeysTable, PaymentRequestsTable, PaymentRequestIndexTable, PaymentRequestStatusTable, PaymentRequestClaimsTable, PaymentLinksTable, OutboxTable, ScheduleTable, PaymentsTable, BatchesTable, BatchLinesTable, WebhooksTable,
        OptOutsTable, DeliveryReferencesTable, BatchFunnelsTable, MessageCountsTable, InstancesTable, LinkGuessesTable, StaffTable, ConsoleKeysTable, ConsoleSessionsTable, MerchantStatsTable, AuditLogTable];
    public const string PoisonSuffix = "-poison";

    public static readonly string[] Queues =
        [SmsQueue, EmailQueue, SmsQueue + PoisonSuffix, EmailQueue + PoisonSuffix, BulkSmsQueue, BulkEmailQueue, BulkSmsQueue + PoisonSuffix,
         BulkEmailQueue + PoisonSuffix, BatchProcessQueue, BatchProcessQueue + PoisonSuffix,
         BatchChunksQueue, BatchChunksQueue + PoisonSuffix, WebhookQueue,
         WebhookQueue + PoisonSuffix];

    public static readonly string[] Containers = [BatchUploadsContainer];

    public static string QueueFor(SendMessage message) => (message.Channel, message.Bulk) switch
    {
        (Channel.Sms, false) => SmsQueue,
        (Channel.Email, false) => EmailQueue,
        (Channel.Sms, true) => BulkSmsQueue,
        (Channel.Email, true) => BulkEmailQueue,
        _ => throw new ArgumentOutOfRangeException(nameof(message)),
    };
}
