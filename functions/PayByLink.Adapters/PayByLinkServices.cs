using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PayByLink.Adapters.ServiceBus;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Batches;
using PayByLink.Core.Reporting;
using PayByLink.Core.Delivery;
using PayByLink.Core.Events;
using PayByLink.Core.Webhooks;
using PayByLink.Adapters.Webhooks;
using PayByLink.Core.Payments;
using PayByLink.Adapters.Payments;
using PayByLink.Core.Merchants;
using PayByLink.Core.Limits;
using PayByLink.Core.Limits.Ports;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Core.Scheduling;

using PayByLink.Core.Telemetry;

namespace PayByLink.Adapters;

public static class PayByLinkServices
{
    /// <summary>The storage connection: a connection string, or <c>PayByLinkStorage__accountName</c> with a managed identity.</summary>
    public const string StorageConnection = "PayByLinkStorage";

    /// <summary>Service Bus, by namespace and managed identity. Without it, send messages go to Storage Queues.</summary>
    public const string ServiceBusConnection = "PayByLinkServiceBus";

    /// <summary>
    /// The whole suite in one process (the local runtime, the admin commands, the tests): what every app needs, and
    /// what each of the Api, Batch and Notify apps runs.
    /// </summary>
    public static IServiceCollection AddPayByLink(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPayByLinkShared(configuration).AddPayByLinkApi(configuration).AddPayByLinkBatch(configuration).AddPayByLinkNotify(configuration);

    /// <summary>
    /// What every app needs: settings, storage and its stores, the one way a request is created and the one way it
    /// changes, the consumers of changes (batch counts, funnels, webhooks) and the send publisher.
    /// </summary>
    public static IServiceCollection AddPayByLinkShared(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PayByLinkOptions>().Bind(configuration.GetSection(PayByLinkOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https",
                "PayByLink:PublicBaseUrl must be an absolute http(s) URL.")
            .Validate(_ => PaymentGateways.IsAllowed(configuration), PaymentGateways.NotAllowedMessage)
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutageLog>();
        services.AddMemoryCache();
        services.AddHttpClient();
        services.TryAddSingleton<ITokenSource, RandomTokenSource>();
        services.TryAddSingleton(_ => CreateStorageClients(configuration));
        services.TryAddSingleton<IPaymentRequestStore, TablePaymentRequestStore>();
        services.TryAddSingleton(_ => Secrets.LookupHasher.FromConfiguration(configuration));
        services.TryAddSingleton<StoredDocuments>();
        services.TryAddSingleton<TablePaymentLinkStore>();
        services.TryAddSingleton<IPaymentLinkStore>(sp => sp.GetRequiredService<TablePaymentLinkStore>());
        services.TryAddSingleton<StoredDataProtection>();
        services.TryAddSingleton<RequestBackfill>();
        services.TryAddSingleton<IMerchantStore, TableMerchantStore>();
        services.TryAddSingleton<IDeliveryStore, TableDeliveryStore>();
        services.TryAddSingleton<IDeliveryReferences, TableDeliveryReferences>();
        services.TryAddSingleton<TableOptOutStore>();
        services.TryAddSingleton<IOptOutStore>(sp => sp.GetRequiredService<TableOptOutStore>());
        services.TryAddSingleton<OptOuts>();
        services.TryAddSingleton(sp => new SmsSenderNumber(sp.GetService<ISmsSender>()?.From ?? configuration["Acs:SmsFrom"]));
        services.TryAddSingleton<ReviewBatchFile>();
        services.TryAddSingleton<Core.Erasure.ErasePerson>();
        services.TryAddSingleton<Core.Staff.Ports.IStaffStore, TableStaffStore>();
        services.TryAddSingleton<Core.Staff.StaffAdministration>();
        services.TryAddSingleton<IScheduleStore, TableScheduleStore>();
        services.TryAddSingleton<IPaymentStore, TablePaymentStore>();
        services.TryAddSingleton<IBatchStore, TableBatchStore>();
        services.TryAddSingleton<IBatchLedger, TableBatchLedger>();
        services.TryAddSingleton<IBatchUploads, BlobBatchUploads>();
        services.TryAddSingleton<IBatchProcessingQueue, StorageQueueBatchProcessingQueue>();
        services.TryAddSingleton<IEventLog, TableEventLog>();
        services.TryAddSingleton<BatchChanges>();
        services.TryAddSingleton<BatchCompletion>();
        services.TryAddSingleton(sp => new ChangePublisher(sp.GetServices<IChangeConsumer>));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeConsumer, BatchCompletion>(sp => sp.GetRequiredService<BatchCompletion>()));
        services.TryAddSingleton<IBatchFunnelStore, TableBatchFunnelStore>();
        services.TryAddSingleton<IStatsStore, TableStatsStore>();
        services.TryAddSingleton<PayByLink.Core.Audit.IAuditLog, TableAuditLog>();
        services.TryAddSingleton<MerchantStats>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeConsumer, MerchantStats>(sp => sp.GetRequiredService<MerchantStats>()));
        services.TryAddSingleton<BatchFunnel>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeConsumer, BatchFunnel>(sp => sp.GetRequiredService<BatchFunnel>()));
        services.TryAddSingleton(_ => Secrets.SecretProtector.FromConfiguration(configuration));
        services.TryAddSingleton<TableWebhookStore>();
        services.TryAddSingleton<IWebhookStore>(sp => sp.GetRequiredService<TableWebhookStore>());
        services.TryAddSingleton<IWebhookQueue, StorageQueueWebhookQueue>();
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.TryAddSingleton(_ => new WebhookUrlRules(configuration.GetValue("Webhooks:LocalRuntime", false)));
        services.TryAddSingleton<WebhookDispatch>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeConsumer, WebhookDispatch>(sp => sp.GetRequiredService<WebhookDispatch>()));

        var serviceBusNamespace = configuration[$"{ServiceBusConnection}:fullyQualifiedNamespace"];
        if (string.IsNullOrWhiteSpace(serviceBusNamespace))
        {
            services.TryAddSingleton<ISendMessagePublisher, StorageQueueSendPublisher>();
        }
        else
        {
            services.AddAzureClients(azure =>
            {
                azure.UseCredential(_ => AppCredential.Instance);
                azure.AddServiceBusClientWithNamespace(serviceBusNamespace);
            });
            services.TryAddSingleton<ISendMessagePublisher, ServiceBusSendPublisher>();
        }

        services.TryAddSingleton(_ => new PlatformLimits(new MerchantLimits(
            configuration.GetValue("Limits:RequestsPerSecond", MerchantLimits.Default.RequestsPerSecond),
            configuration.GetValue("Limits:Burst", MerchantLimits.Default.Burst),
            configuration.GetValue("Limits:DailySms", MerchantLimits.Default.DailySms),
            configuration.GetValue("Limits:DailyEmails", MerchantLimits.Default.DailyEmails))));
        services.TryAddSingleton<TableMessageCounts>();
        services.TryAddSingleton<IMessageCounts>(sp => sp.GetRequiredService<TableMessageCounts>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiringRows, TableMessageCounts>(sp => sp.GetRequiredService<TableMessageCounts>()));
        services.TryAddSingleton<TableGuessCounts>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExpiringRows, TableGuessCounts>(sp => sp.GetRequiredService<TableGuessCounts>()));
        services.TryAddSingleton<DailyMessageCap>();
        services.TryAddSingleton(sp => new PaymentLinks(new Uri(sp.GetRequiredService<IOptions<PayByLinkOptions>>().Value.PublicBaseUrl)));
        services.TryAddSingleton<CreatePaymentRequest>();
        services.TryAddSingleton<PaymentRequestChanges>();
        return services;
    }

    /// <summary>
    /// What the Api app runs: keys, batches' start, confirm and read, webhook endpoints, the payment page with its
    /// gateway, the carrier's receipts and replies, and the health checks.
    /// </summary>
    public static IServiceCollection AddPayByLinkApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<MerchantAuthenticator>();
        services.TryAddSingleton<ResendPaymentRequest>();
        services.TryAddSingleton<PreviewPaymentRequest>();
        services.TryAddSingleton<ILiveInstances, OneInstance>();
        services.TryAddSingleton<ApiRateLimiter>();
        services.TryAddSingleton<IGuessCounts>(sp => sp.GetRequiredService<TableGuessCounts>());
        services.TryAddSingleton<LinkGuessLimiter>();
        services.TryAddSingleton<MerchantAdministration>();
        services.TryAddSingleton<UpdateMerchantSettings>();
        services.TryAddSingleton<StartBatch>();
        services.TryAddSingleton<ConfirmBatchUpload>();
        services.TryAddSingleton<StopBatch>();
        services.TryAddSingleton<BatchFailures>();
        services.TryAddSingleton<ReadBatch>();
        services.TryAddSingleton<WebhookEndpoints>();
        PaymentGateways.AddStripeClient(services, configuration);
        services.TryAddSingleton(sp => PaymentGateways.Create(configuration, new Uri(sp.GetRequiredService<IOptions<PayByLinkOptions>>().Value.PublicBaseUrl),
            sp.GetRequiredService<IHttpClientFactory>()));
        services.TryAddSingleton<PaymentPage>();
        services.TryAddSingleton<RecordPayment>();
        services.TryAddSingleton(sp => new CloseCheckouts(sp.GetRequiredService<IPaymentGateway>, sp.GetRequiredService<IPaymentStore>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<CloseCheckouts>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChangeConsumer, CloseCheckouts>(sp => sp.GetRequiredService<CloseCheckouts>()));
        services.TryAddSingleton(_ => DeliveryRetries(configuration));
        services.TryAddSingleton<SendLifecycle>();
        services.TryAddSingleton<DeliveryReceipts>();
        StorageHealthCheck.AddTo(services);
        return services;
    }

    /// <summary>What the Batch app runs: batch files (dispatch, chunks, the watch), the schedule and webhook delivery.</summary>
    public static IServiceCollection AddPayByLinkBatch(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<IBatchChunkQueue, StorageQueueBatchChunkQueue>();
        services.TryAddSingleton<ProcessBatchUpload>();
        services.TryAddSingleton<WatchBatch>();
        services.TryAddSingleton(_ => new SendersBacklog(
            configuration.GetValue("Batches:MaxSendsWaiting", SendersBacklog.Default.MaxSendsWaiting),
            configuration.GetValue("Batches:MaxWaitForSenders", SendersBacklog.Default.MaxWait)));
        services.TryAddSingleton<ProcessBatchChunk>();
        services.TryAddSingleton<RunSchedule>();
        HttpWebhookClient.AddTo(services);
        services.TryAddSingleton(_ => WebhookRetries(configuration));
        services.TryAddSingleton<DeliverWebhooks>();
        return services;
    }

    /// <summary>What the Notify app runs: delivering each send message, with its retries and its pace.</summary>
    public static IServiceCollection AddPayByLinkNotify(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => DeliveryRetries(configuration));
        services.TryAddSingleton<SendLifecycle>();
        services.TryAddSingleton<SendProviderCalls>();
        services.TryAddSingleton<DeliverSend>();
        services.TryAddSingleton<BatchStops>();
        services.TryAddSingleton<ReceiveSendMessage>();
        services.TryAddSingleton(sp => new SendPacer(SendRates.Share(configuration.GetValue("Delivery:SmsPerMinute", 0.0),
            configuration.GetValue("Delivery:EmailPerMinute", 0.0), configuration.GetValue("Delivery:SharedBy", 1)), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ServiceBusSendProcessor>();
        return services;
    }

    /// <summary>
    /// The retry policy, from <c>Delivery__FirstRetryDelay</c>, <c>__MaxRetryDelay</c>, <c>__MaxDeliveryCount</c>,
    /// <c>__ReceiptWait</c> and <c>__SendingLease</c> when set.
    /// </summary>
    public static RetryPolicy DeliveryRetries(IConfiguration configuration)
    {
        var section = configuration.GetSection("Delivery");
        return new RetryPolicy(
            section.GetValue("FirstRetryDelay", TimeSpan.FromSeconds(10)),
            section.GetValue("MaxRetryDelay", TimeSpan.FromMinutes(10)),
            section.GetValue("MaxDeliveryCount", RetryPolicy.Default.MaxDeliveryCount),
            section.GetValue("ReceiptWait", RetryPolicy.DefaultReceiptWait),
            section.GetValue("SendingLease", RetryPolicy.DefaultSendingLease));
    }

    /// <summary>
    /// The webhook retry policy, from <c>Webhooks__FirstRetry</c>, <c>__MaxRetryDelay</c>, <c>__GiveUpAfter</c>,
    /// <c>__DisableAfter</c>, <c>__Timeout</c> and <c>__Lease</c> when set.
    /// </summary>
    public static WebhookRetryPolicy WebhookRetries(IConfiguration configuration)
    {
        var section = configuration.GetSection("Webhooks");
        var d = WebhookRetryPolicy.Default;
        return new WebhookRetryPolicy(section.GetValue("FirstRetry", d.FirstRetry), section.GetValue("MaxRetryDelay", d.MaxDelay),
            section.GetValue("GiveUpAfter", d.GiveUpAfter), section.GetValue("DisableAfter", d.DisableAfter))
        {
            Timeout = section.GetValue("Timeout", d.Timeout),
            Lease = section.GetValue("Lease", d.Lease),
        };
    }

    public static StorageClients CreateStorageClients(IConfiguration configuration)
    {
        if (configuration[StorageConnection] is { Length: > 0 } connectionString)
        {
            return StorageClients.FromConnectionString(connectionString);
        }

        if (configuration[$"{StorageConnection}:accountName"] is { Length: > 0 } accountName)
        {
            return StorageClients.FromAccountName(accountName, AppCredential.Instance);
        }

        throw new OptionsValidationException(StorageConnection, typeof(StorageClients),
            [$"Set {StorageConnection} (a connection string) or {StorageConnection}__accountName (managed identity)."]);
    }
}
