using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PayByLink.Core.Batches;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Payments;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Core.Scheduling;
using PayByLink.Core.Telemetry;
using PayByLink.Core.Webhooks;
using PayByLink.Testing.InMemory;

namespace PayByLink.Testing;

/// <summary>
/// The core's use cases over in-memory ports, on a <see cref="FakeTimeProvider"/>: creates, sends, receipts, the
/// schedule and webhook delivery run in milliseconds, and time moves only when a test moves it.
/// </summary>
public sealed class InMemorySuite : IDisposable
{
    private readonly ServiceProvider _services;

    /// <param name="configure">A last say over the services: a test swaps a port for one that fails.</param>
    public InMemorySuite(RetryPolicy? retries = null, WebhookRetryPolicy? webhookRetries = null, SendRates? rates = null,
        Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddMemoryCache();
        services.AddSingleton(Requests);
        services.AddSingleton<IPaymentRequestStore>(Requests);
        services.AddSingleton<IDeliveryStore>(Requests);
        services.AddSingleton<IEventLog>(Requests);
        services.AddSingleton<IPaymentLinkStore>(new InMemoryPaymentLinks());
        services.AddSingleton<IMerchantStore>(Merchants);
        services.AddSingleton<IDeliveryReferences>(new InMemoryDeliveryReferences());
        services.AddSingleton<IOptOutStore>(OptOutStore);
        services.AddSingleton<IScheduleStore>(Schedule);
        services.AddSingleton<IPaymentStore>(new InMemoryPayments());
        services.AddSingleton<IWebhookStore>(Webhooks);
        services.AddSingleton<IWebhookClient>(Endpoint);
        services.AddSingleton<IEventBodies>(new MinimalEventBodies());
        services.AddSingleton<IHostResolver>(new PublicHostResolver());
        services.AddSingleton<ITokenSource>(new RandomTokenSource());
        services.AddSingleton<PayByLink.Core.Limits.Ports.IMessageCounts>(MessageCounts);
        services.AddSingleton(PayByLink.Core.Limits.PlatformLimits.Standard);
        services.AddSingleton<ISmsSender>(Providers);
        services.AddSingleton<IEmailSender>(Providers);
        var noBatches = new NoBatches();
        services.AddSingleton<IBatchStore>(noBatches);
        services.AddSingleton<IBatchLedger>(noBatches);
        services.AddSingleton<IBatchUploads>(noBatches);
        services.AddSingleton<IBatchProcessingQueue>(noBatches);
        services.AddSingleton<IBatchFunnelStore>(noBatches);
        services.AddSingleton<BatchStops>(); // no request here is a batch's: it reads no batch
        services.AddSingleton(sp => new InMemorySendQueue(Clock));
        services.AddSingleton<ISendMessagePublisher>(sp => sp.GetRequiredService<InMemorySendQueue>());
        services.AddSingleton(sp => new InMemoryWebhookQueue(Clock));
        services.AddSingleton<IWebhookQueue>(sp => sp.GetRequiredService<InMemoryWebhookQueue>());
        services.AddSingleton(retries ?? new RetryPolicy(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), 6));
        services.AddSingleton(webhookRetries ?? WebhookRetryPolicy.Default);
        services.AddSingleton(sp => new SendPacer(rates ?? SendRates.Unpaced, Clock));
        services.AddSingleton(new PaymentLinks(new Uri("https://pay.example")));
        services.AddSingleton(sp => new ChangePublisher(() => [sp.GetRequiredService<WebhookDispatch>()]));
        foreach (var type in new[]
                 {
                     typeof(CreatePaymentRequest), typeof(PayByLink.Core.Limits.DailyMessageCap), typeof(PaymentRequestChanges), typeof(OptOuts), typeof(SendLifecycle), typeof(SendProviderCalls),
                     typeof(DeliverSend), typeof(ReceiveSendMessage), typeof(DeliveryReceipts), typeof(OutageLog), typeof(WebhookDispatch),
                     typeof(DeliverWebhooks), typeof(RunSchedule), typeof(BatchChanges), typeof(BatchCompletion), typeof(PayByLink.Core.Erasure.ErasePerson), typeof(ResendPaymentRequest), typeof(PreviewPaymentRequest),
                 })
        {
            services.AddSingleton(type);
        }

        configure?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2027, 3, 1, 10, 0, 0, TimeSpan.Zero));

    public InMemoryPaymentRequests Requests { get; } = new();

    public InMemoryMerchants Merchants { get; } = new();

    public InMemoryOptOuts OptOutStore { get; } = new();

    public InMemorySchedule Schedule { get; } = new();

    public InMemoryMessageCounts MessageCounts { get; } = new();

    public InMemoryWebhooks Webhooks { get; } = new();

    public FakeWebhookClient Endpoint { get; } = new();

    public FakeProviders Providers { get; } = new();

    public InMemorySendQueue Sends => Get<InMemorySendQueue>();

    public InMemoryWebhookQueue WebhookQueue => Get<InMemoryWebhookQueue>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public async Task<Merchant> NewMerchantAsync(string id = "test-merchant")
    {
        var merchant = new Merchant(id, "Test Merchant", "GBP", 5000m);
        await Merchants.TryAddAsync(merchant, CancellationToken.None);
        return merchant;
    }

    /// <summary>Delivers every send message visible now, and those that come back within <paramref name="upTo"/> as the clock moves on.</summary>
    public async Task<int> DeliverSendsAsync(TimeSpan upTo = default)
    {
        var delivered = 0;
        var until = Clock.GetUtcNow() + upTo;
        while (true)
        {
            while (await Sends.DeliverOneAsync(Get<ReceiveSendMessage>()))
            {
                delivered++;
            }

            if (Sends.Queue.NextVisibleAt is not { } next || next > until)
            {
                return delivered;
            }

            Clock.SetUtcNow(next > Clock.GetUtcNow() ? next : Clock.GetUtcNow());
        }
    }

    /// <summary>Runs the webhook work visible now, and what comes back within <paramref name="upTo"/> as the clock moves on.</summary>
    public async Task DeliverWebhooksAsync(TimeSpan upTo = default)
    {
        var until = Clock.GetUtcNow() + upTo;
        var queue = WebhookQueue.Queue;
        while (true)
        {
            while (queue.Receive(TimeSpan.FromSeconds(60)) is { } message)
            {
                var result = await Get<DeliverWebhooks>().ExecuteAsync(message.Body, CancellationToken.None);
                if (result.Finished)
                {
                    queue.Delete(message);
                }
                else
                {
                    queue.Hide(message, result.BackOff ? TimeSpan.Zero : result.RetryAfter);
                }
            }

            if (queue.NextVisibleAt is not { } next || next > until)
            {
                return;
            }

            Clock.SetUtcNow(next > Clock.GetUtcNow() ? next : Clock.GetUtcNow());
        }
    }

    public void Dispose() => _services.Dispose();
}
