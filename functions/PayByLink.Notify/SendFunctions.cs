using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using PayByLink.Adapters;
using PayByLink.Adapters.ServiceBus;
using PayByLink.Adapters.Storage;

namespace PayByLink.Notify;

/// <summary>
/// One Service Bus queue trigger per channel and lane, each handing its message to the shared processor: single links
/// and reminders, and batch lines' first sends (session queues, a session per merchant, so the merchants with files
/// going out share the app's concurrency).
/// </summary>
public sealed class SendFunctions(ServiceBusSendProcessor processor)
{
    [Function("SendSms")]
    public Task SendSms(
        [ServiceBusTrigger(StorageNames.SmsQueue, Connection = PayByLinkServices.ServiceBusConnection, AutoCompleteMessages = false)]
        ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        CancellationToken cancellationToken) =>
        processor.ProcessAsync(message, new TriggerSettlement(message, actions), cancellationToken);

    [Function("SendEmail")]
    public Task SendEmail(
        [ServiceBusTrigger(StorageNames.EmailQueue, Connection = PayByLinkServices.ServiceBusConnection, AutoCompleteMessages = false)]
        ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        CancellationToken cancellationToken) =>
        processor.ProcessAsync(message, new TriggerSettlement(message, actions), cancellationToken);

    [Function("SendBulkSms")]
    public Task SendBulkSms(
        [ServiceBusTrigger(StorageNames.BulkSmsQueue, Connection = PayByLinkServices.ServiceBusConnection, AutoCompleteMessages = false,
            IsSessionsEnabled = true)]
        ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        CancellationToken cancellationToken) =>
        processor.ProcessAsync(message, new TriggerSettlement(message, actions), cancellationToken);

    [Function("SendBulkEmail")]
    public Task SendBulkEmail(
        [ServiceBusTrigger(StorageNames.BulkEmailQueue, Connection = PayByLinkServices.ServiceBusConnection, AutoCompleteMessages = false,
            IsSessionsEnabled = true)]
        ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        CancellationToken cancellationToken) =>
        processor.ProcessAsync(message, new TriggerSettlement(message, actions), cancellationToken);

    private sealed class TriggerSettlement(ServiceBusReceivedMessage message, ServiceBusMessageActions actions) : IMessageSettlement
    {
        public Task CompleteAsync(CancellationToken cancellationToken) => actions.CompleteMessageAsync(message, cancellationToken);

        public Task AbandonAsync(CancellationToken cancellationToken) => actions.AbandonMessageAsync(message, null, cancellationToken);

        public Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken) =>
            actions.DeadLetterMessageAsync(message, null, reason, description, cancellationToken);
    }
}
