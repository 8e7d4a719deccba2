using Azure;
using Azure.Communication.Sms;
using Microsoft.Extensions.Options;
using PayByLink.Adapters;
using PayByLink.Core.Delivery;

namespace PayByLink.Notify;

/// <summary>SMS through ACS, from <c>Acs__SmsFrom</c>, with a delivery report asked for and the send's tag, which the report carries back.</summary>
public sealed class AcsSmsSender(SmsClient client, IOptions<AcsOptions> options, TimeProvider clock) : ISmsSender
{
    public string From => options.Value.SmsFrom;

    public async Task<SendOutcome> SendAsync(SmsToSend sms, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.SendAsync(options.Value.SmsFrom, sms.To, sms.Text,
                new SmsSendOptions(enableDeliveryReport: true) { Tag = sms.Tag }, cancellationToken);
            var result = response.Value;
            return result.Successful
                ? SendOutcome.Sent(result.MessageId)
                : ProviderErrors.Classify(result.HttpStatusCode, null, result.ErrorMessage, null, clock.GetUtcNow());
        }
        catch (RequestFailedException e)
        {
            return ProviderErrors.Classify(e.Status, e.ErrorCode, e.Message, AcsResponses.RetryAfter(e), clock.GetUtcNow());
        }
    }
}
