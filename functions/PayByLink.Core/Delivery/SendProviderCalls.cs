using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Core.Telemetry;

namespace PayByLink.Core.Delivery;

/// <summary>
/// A send's call to its channel's provider: the text, or the email with its operation id (kept first, as an email's
/// delivery report names only that), and what the provider said, a provider that cannot be reached being worth another
/// attempt.
/// </summary>
public sealed class SendProviderCalls(IMerchantStore merchants, IDeliveryReferences references, ISmsSender sms, IEmailSender email, PaymentLinks links)
{
    /// <summary>The number SMS are sent from, which customers text STOP to.</summary>
    public string SmsFrom => sms.From;

    public static string? Recipient(PaymentRequest request, Channel channel) =>
        channel == Channel.Sms ? request.Content.Customer.MobileNumber : request.Content.Customer.Email;

    /// <summary>Everything the provider call needs, read and written before the send is claimed.</summary>
    public async Task<Func<CancellationToken, Task<SendOutcome>>> PrepareAsync(PaymentRequest request, SendMessage message, string recipient,
        CancellationToken cancellationToken)
    {
        var merchant = await merchants.FindAsync(request.MerchantId, cancellationToken);
        var merchantName = merchant?.DisplayName ?? request.MerchantId;
        if (message.Channel == Channel.Sms)
        {
            var text = new SmsToSend(message.SendId, recipient, PaymentMessages.Sms(merchantName, request, links.ShortUrl(request.ShortCode), message.Purpose,
                merchant?.Settings.SmsTemplate),
                CarrierReferences.SmsTag(message.MerchantId, message.SendId));
            return ct => CallAsync(() => sms.SendAsync(text, ct), ct);
        }

        var operationId = CarrierReferences.EmailOperationId(message.SendId);
        await references.SaveAsync(operationId, new SendReference(message.MerchantId, message.RequestId, message.SendId), cancellationToken);
        var mail = new EmailToSend(message.SendId, recipient, request.Content.Customer.FullName,
            PaymentMessages.Email(merchantName, request, links.LongUrl(request.PaymentToken), message.Purpose, merchant?.Settings.EmailIntro), operationId,
            links.UnsubscribeUrl(request.PaymentToken));
        return ct => CallAsync(() => email.SendAsync(mail, ct), ct);
    }

    private static async Task<SendOutcome> CallAsync(Func<Task<SendOutcome>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException ||
                                  (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A provider adapter classifies what the provider answered; a provider that cannot be reached (a timeout,
            // a dropped connection) is worth trying again. Any other exception is a fault of ours, and propagates.
            PayByLinkTelemetry.ProviderError("provider_unreachable", null, e.GetType().Name + ": " + e.Message);
            return SendOutcome.Transient("provider_unreachable", "The provider could not be reached.");
        }
    }
}
