using Azure.Messaging.ServiceBus;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Adapters;
using PayByLink.Adapters.ServiceBus;
using PayByLink.Api;
using PayByLink.Batch;
using PayByLink.Core.Batches;
using PayByLink.Core.Delivery;
using PayByLink.Core.Merchants;
using PayByLink.Core.Payments;

namespace PayByLink.Integration.Tests.Api;

/// <summary>
/// Each Azure app registers what it runs: every function class of the app is made from the app's own registrations,
/// and the use cases of the other apps are not among them. Nothing here reaches Azure: clients connect on first use.
/// </summary>
public class AppServicesTests
{
    private static IConfiguration Settings() => new ConfigurationBuilder().AddInMemoryCollection(
        new Dictionary<string, string?>
        {
            ["PayByLinkStorage:accountName"] = "paybylinkstore",
            ["PayByLinkServiceBus:fullyQualifiedNamespace"] = "paybylink-bus.servicebus.windows.net",
            ["PayByLink:PublicBaseUrl"] = "https://pay.example.com",
            ["Payments:Gateway"] = "stripe",
            ["Stripe:SecretKey"] = "sk_test_unused",
            ["Stripe:WebhookSecret"] = "whsec_unused",
            ["Secrets:EncryptionKey"] = "app-services-test-key",
            ["Secrets:LookupKey"] = "app-services-test-link-key",
        }).Build();

    /// <summary>What the Functions host registers before the app's own: its configuration and logging.</summary>
    private static IServiceCollection Host(IConfiguration settings) => new ServiceCollection().AddLogging().AddSingleton(settings);

    private static IEnumerable<Type> FunctionClasses(Assembly app) =>
        app.GetTypes().Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null));

    private static void EveryFunctionClassIsMade(IServiceProvider services, Assembly app)
    {
        var classes = FunctionClasses(app).ToList();
        classes.ShouldNotBeEmpty();
        foreach (var type in classes)
        {
            Should.NotThrow(() => ActivatorUtilities.CreateInstance(services, type), type.Name);
        }
    }

    [Fact]
    public async Task The_api_app_makes_every_function_it_has_and_runs_no_batch_or_delivery_work()
    {
        var settings = Settings();
        await using var services = Host(settings).AddApiApp(settings).BuildServiceProvider();

        EveryFunctionClassIsMade(services, typeof(ApiAppServices).Assembly);
        services.GetService<ProcessBatchChunk>().ShouldBeNull();
        services.GetService<DeliverSend>().ShouldBeNull();
    }

    [Fact]
    public async Task The_batch_app_makes_every_function_it_has_and_serves_no_merchant_or_payment()
    {
        var settings = Settings();
        await using var services = Host(settings).AddBatchApp(settings).BuildServiceProvider();

        EveryFunctionClassIsMade(services, typeof(BatchAppServices).Assembly);
        services.GetService<MerchantAuthenticator>().ShouldBeNull();
        services.GetService<IPaymentGateway>().ShouldBeNull();
        services.GetService<DeliverSend>().ShouldBeNull();
    }

    [Fact]
    public async Task The_notify_apps_registrations_make_a_working_processor_given_its_senders()
    {
        // The Notify app adds its Communication Services senders itself; these stand in for them.
        var settings = Settings();
        await using var services = Host(settings)
            .AddSingleton<ISmsSender>(new UnusedSender()).AddSingleton<IEmailSender>(new UnusedSender())
            .AddPayByLinkShared(settings).AddPayByLinkNotify(settings).BuildServiceProvider();

        // The processor made from these registrations settles a message as the policy says: one that is no send is set aside.
        var settlement = new DeadLetterRecorder();
        await services.GetRequiredService<ServiceBusSendProcessor>().ProcessAsync(
            ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString("{not json"), messageId: "m-1"), settlement, CancellationToken.None);
        settlement.Reason.ShouldBe("unreadable");
        services.GetService<ProcessBatchChunk>().ShouldBeNull();
        services.GetService<MerchantAuthenticator>().ShouldBeNull();
    }

    private sealed class DeadLetterRecorder : IMessageSettlement
    {
        public string? Reason { get; private set; }

        public Task CompleteAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("Completed a message that is no send.");

        public Task AbandonAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("Abandoned a message that is no send.");

        public Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken)
        {
            Reason = reason;
            return Task.CompletedTask;
        }
    }

    private sealed class UnusedSender : ISmsSender, IEmailSender
    {
        public string From => "+447700900000";

        public Task<SendOutcome> SendAsync(SmsToSend sms, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SendOutcome> SendAsync(EmailToSend email, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
