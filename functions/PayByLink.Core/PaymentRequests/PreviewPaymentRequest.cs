using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

namespace PayByLink.Core.PaymentRequests;

/// <summary>What a customer would get for a create: each channel's first message, exactly as it would be sent.</summary>
public sealed record MessagePreview(string? Sms, SmsLength? SmsLength, EmailContent? Email);

/// <summary>
/// Shows, before anything is sent, what a create would send: the SMS text with its length in the alphabet it goes in
/// (GSM-7 or UCS-2) and its segments, and the email's subject and body. By the create's own rules (its errors, field by
/// field, when the input would be refused) and its own wording. The link in it is a stand-in of the real one's length:
/// a short code and a token are made only when the request is, so the counts are the real ones.
/// </summary>
public sealed class PreviewPaymentRequest(PaymentLinks links, TimeProvider clock)
{
    private const string StandInCode = "AbCdEfGh12";

    public ValidationResult<MessagePreview> Execute(Merchant merchant, PaymentRequestInput input)
    {
        var validation = PaymentRequestRules.Validate(input, merchant, clock.GetUtcNow());
        if (validation.Value is not { } content)
        {
            return ValidationResult<MessagePreview>.Invalid(validation.Errors);
        }

        var now = clock.GetUtcNow();
        var request = new PaymentRequest(merchant.Id, "pr_preview", content, PaymentRequestStatus.Pending, StandInCode,
            StandInCode + new string('x', ITokenSource.PaymentTokenLength - StandInCode.Length), now, now);
        string? sms = null;
        if (content.Channels.Contains(Channel.Sms))
        {
            sms = PaymentMessages.Sms(merchant.DisplayName, request, links.ShortUrl(request.ShortCode), SendMessage.InitialPurpose,
                merchant.Settings.SmsTemplate);
        }

        var email = content.Channels.Contains(Channel.Email)
            ? PaymentMessages.Email(merchant.DisplayName, request, links.LongUrl(request.PaymentToken), SendMessage.InitialPurpose, merchant.Settings.EmailIntro)
            : null;
        return ValidationResult<MessagePreview>.Valid(new MessagePreview(sms, sms is null ? null : SmsEncoding.Measure(sms), email));
    }
}
