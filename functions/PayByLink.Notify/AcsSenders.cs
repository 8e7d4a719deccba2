using System.ComponentModel.DataAnnotations;
using Azure;
using Azure.Communication.Email;
using Azure.Communication.Sms;
using Microsoft.Extensions.Options;
using PayByLink.Adapters;
using PayByLink.Core.Delivery;

namespace PayByLink.Notify;

/// <summary>Azure Communication Services settings (<c>Acs__Endpoint</c>, <c>Acs__SmsFrom</c>, <c>Acs__EmailFrom</c>).</summary>
public sealed class AcsOptions
{
    public const string Section = "Acs";

    [Required, Url] public string Endpoint { get; set; } = "";

    /// <summary>The number or alphanumeric sender id SMS come from.</summary>
    [Required] public string SmsFrom { get; set; } = "";

    /// <summary>The verified sender address of the Email domain (DoNotReply@…).</summary>
    [Required, EmailAddress] public string EmailFrom { get; set; } = "";
}

/// <summary>SMS through ACS, from <c>Acs__SmsFrom</c>, with a delivery report asked for and the send's tag, which the report carries back.</summary>
public sealed class AcsSmsSender(SmsClient client, IOptions<AcsOptions> options) : ISmsSender
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
                : ProviderErrors.Classify(result.HttpStatusCode, null, result.ErrorMessage);
        }
        catch (RequestFailedException e)
        {
            return ProviderErrors.Classify(e.Status, e.ErrorCode, e.Message, AcsResponses.RetryAfter(e));
        }
    }
}

/// <summary>
/// Email through ACS: plain text and HTML, with the one-click unsubscribe headers; the operation id (derived from the
/// send id) is the provider message id, and what its delivery report names.
/// </summary>
public sealed class AcsEmailSender(EmailClient client, IOptions<AcsOptions> options) : IEmailSender
{
    public async Task<SendOutcome> SendAsync(EmailToSend email, CancellationToken cancellationToken)
    {
        var message = new EmailMessage(
            senderAddress: options.Value.EmailFrom,
            recipients: new EmailRecipients([new EmailAddress(email.To, email.DisplayName)]),
            content: new Azure.Communication.Email.EmailContent(email.Content.Subject)
            {
                PlainText = email.Content.PlainText,
                Html = email.Content.Html,
            });
        foreach (var (name, value) in email.Headers)
        {
            message.Headers.Add(name, value);
        }

        try
        {
            // The operation id is derived from the send id, so a repeated send is the same operation to ACS.
            var operation = await client.SendAsync(WaitUntil.Started, message, Guid.Parse(email.OperationId), cancellationToken);
            return SendOutcome.Sent(operation.Id);
        }
        catch (RequestFailedException e)
        {
            return ProviderErrors.Classify(e.Status, e.ErrorCode, e.Message, AcsResponses.RetryAfter(e));
        }
    }
}

/// <summary>What a refused ACS call said about when to try again.</summary>
internal static class AcsResponses
{
    /// <summary>The <c>Retry-After</c> header of the failed call's response, if it had one.</summary>
    public static string? RetryAfter(RequestFailedException e) =>
        e.GetRawResponse() is { } response && response.Headers.TryGetValue("Retry-After", out var value) ? value : null;
}
