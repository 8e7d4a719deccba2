using Azure;
using Azure.Communication.Email;
using Microsoft.Extensions.Options;
using PayByLink.Adapters;
using PayByLink.Core.Delivery;

namespace PayByLink.Notify;

/// <summary>
/// Email through ACS: plain text and HTML, with the one-click unsubscribe headers; the operation id (derived from the
/// send id) is the provider message id, and what its delivery report names.
/// </summary>
public sealed class AcsEmailSender(EmailClient client, IOptions<AcsOptions> options, TimeProvider clock) : IEmailSender
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
            return ProviderErrors.Classify(e.Status, e.ErrorCode, e.Message, AcsResponses.RetryAfter(e), clock.GetUtcNow());
        }
    }
}
