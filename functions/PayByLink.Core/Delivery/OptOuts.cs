using Microsoft.Extensions.Logging;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Delivery;

/// <summary>
/// Who is not to be sent to, and the ways in: a merchant's suppression list (API), STOP and START texted to the
/// sender number, and one-click unsubscribe from an email. Every send asks <see cref="FindAsync"/> first.
/// </summary>
public sealed partial class OptOuts(IOptOutStore store, IPaymentLinkStore links, IPaymentRequestStore requests, TimeProvider clock,
    ILogger<OptOuts> logger)
{
    /// <summary>Texts that opt a number out of SMS from the number they are sent to (any case, trimmed).</summary>
    public static readonly IReadOnlySet<string> StopWords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT" };

    /// <summary>Texts that opt a number back in.</summary>
    public static readonly IReadOnlySet<string> StartWords = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "START", "UNSTOP" };

    /// <summary>
    /// The opt-out that holds back a send to <paramref name="recipient"/> on <paramref name="channel"/>, or null:
    /// the merchant's own entry, or (for SMS) a STOP texted to <paramref name="smsFrom"/>, which is then shown on the
    /// merchant's list too.
    /// </summary>
    public async Task<OptOut?> FindAsync(string merchantId, Channel channel, string recipient, string? smsFrom, CancellationToken cancellationToken)
    {
        var own = store.FindAsync(merchantId, channel, recipient, cancellationToken);
        var stop = channel == Channel.Sms && smsFrom is not null ? store.FindStopAsync(smsFrom, recipient, cancellationToken) : Task.FromResult<DateTimeOffset?>(null);
        var (entry, stoppedAt) = (await own, await stop);
        if (entry is { Source: not OptOutSource.Stop })
        {
            return entry;
        }

        if (stoppedAt is { } at)
        {
            var shown = entry ?? new OptOut(channel, recipient, OptOutSource.Stop, at, smsFrom);
            if (entry is null)
            {
                await store.SaveAsync(merchantId, shown, cancellationToken);
            }

            return shown;
        }

        if (entry is not null)
        {
            // The customer texted START since: the STOP no longer shows on the merchant's list.
            await store.DeleteAsync(merchantId, channel, recipient, cancellationToken);
        }

        return null;
    }

    /// <summary>Adds a recipient (a mobile number or an email) to the merchant's own list.</summary>
    public async Task<ValidationResult<OptOutAdded>> AddAsync(Merchant merchant, OptOutInput input, CancellationToken cancellationToken)
    {
        var parsed = Parse(merchant, input.MobileNumber, input.Email);
        if (!parsed.IsValid)
        {
            return ValidationResult<OptOutAdded>.Invalid(parsed.Errors);
        }

        var existing = await store.FindAsync(merchant.Id, parsed.Value!.Channel, parsed.Value.Recipient, cancellationToken);
        if (existing is { Source: not OptOutSource.Stop })
        {
            return ValidationResult<OptOutAdded>.Valid(new OptOutAdded(existing, false));
        }

        var added = parsed.Value with { CreatedAt = clock.GetUtcNow() };
        await store.SaveAsync(merchant.Id, added, cancellationToken);
        return ValidationResult<OptOutAdded>.Valid(new OptOutAdded(added, true));
    }

    /// <summary>Takes a recipient off the merchant's own list; what a customer asked for stays.</summary>
    public async Task<ValidationResult<OptOutRemovalResult>> RemoveAsync(Merchant merchant, string? mobileNumber, string? email,
        CancellationToken cancellationToken)
    {
        var parsed = Parse(merchant, mobileNumber, email);
        if (!parsed.IsValid)
        {
            return ValidationResult<OptOutRemovalResult>.Invalid(parsed.Errors);
        }

        var (channel, recipient) = (parsed.Value!.Channel, parsed.Value.Recipient);
        var existing = await store.FindAsync(merchant.Id, channel, recipient, cancellationToken);
        var outcome = existing switch
        {
            null => OptOutRemoval.NotFound,
            { Source: OptOutSource.Merchant } => await store.DeleteAsync(merchant.Id, channel, recipient, cancellationToken)
                ? OptOutRemoval.Removed
                : OptOutRemoval.NotFound,
            _ => OptOutRemoval.NotAllowed,
        };
        return ValidationResult<OptOutRemovalResult>.Valid(new OptOutRemovalResult(outcome, existing));
    }

    /// <summary>A page of the merchant's list: its own entries, unsubscribes, and the STOPs that still hold.</summary>
    public async Task<OptOutPage> ListAsync(string merchantId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var page = await store.ListAsync(merchantId, pageSize, continuationToken, cancellationToken);
        var holding = await Task.WhenAll(page.Items.Select(async o =>
            o is not { Source: OptOutSource.Stop, SenderNumber: { } sender } || await store.FindStopAsync(sender, o.Recipient, cancellationToken) is not null));
        return page with { Items = page.Items.Where((_, i) => holding[i]).ToList() };
    }

    /// <summary>
    /// A text from a customer: a stop word opts the number out of SMS from the number it was sent to, a start word
    /// opts it back in; anything else is left alone.
    /// </summary>
    public async Task ReceiveAsync(InboundSms sms, CancellationToken cancellationToken)
    {
        var word = sms.Message.Trim();
        if (!ContactDetails.TryNormaliseMobile(sms.From, Merchant.DefaultPhoneRegion, out var from, out _))
        {
            LogIgnored(ContactDetails.Mask(sms.From));
            return;
        }

        if (StopWords.Contains(word))
        {
            await store.SaveStopAsync(sms.To, from, sms.At, cancellationToken);
            LogStopped(ContactDetails.Mask(from));
        }
        else if (StartWords.Contains(word))
        {
            await store.DeleteStopAsync(sms.To, from, cancellationToken);
            LogStarted(ContactDetails.Mask(from));
        }
    }

    /// <summary>
    /// One-click unsubscribe from an email: the payment link's token names the merchant and the customer's address,
    /// which the merchant sends no more email to. The merchant's name and the masked address, or null for an
    /// unknown token.
    /// </summary>
    public async Task<(string MerchantId, string MaskedEmail)?> UnsubscribeAsync(string paymentToken, bool confirm, CancellationToken cancellationToken)
    {
        if (await links.FindByTokenAsync(paymentToken, cancellationToken) is not { } link ||
            await requests.FindAsync(link.MerchantId, link.RequestId, cancellationToken) is not { Value.Content.Customer.Email: { } email })
        {
            return null;
        }

        if (confirm && await store.FindAsync(link.MerchantId, Channel.Email, email, cancellationToken) is null)
        {
            await store.SaveAsync(link.MerchantId, new OptOut(Channel.Email, email.ToLowerInvariant(), OptOutSource.Unsubscribe, clock.GetUtcNow()),
                cancellationToken);
            LogUnsubscribed(ContactDetails.Mask(email));
        }

        return (link.MerchantId, ContactDetails.Mask(email));
    }

    /// <summary>A mobile number or an email (one of them) as opt-outs keep it: E.164, or lower-cased.</summary>
    public static ValidationResult<OptOut> Parse(Merchant merchant, string? mobileNumber, string? email)
    {
        var errors = new FieldErrors();
        OptOut? parsed = null;
        if (string.IsNullOrWhiteSpace(mobileNumber) == string.IsNullOrWhiteSpace(email))
        {
            errors.Add("mobileNumber", "one_required", "Give either a mobileNumber or an email.");
        }
        else if (!string.IsNullOrWhiteSpace(mobileNumber))
        {
            if (ContactDetails.TryNormaliseMobile(mobileNumber, merchant.PhoneRegion, out var e164, out var problem))
            {
                parsed = new OptOut(Channel.Sms, e164, OptOutSource.Merchant, default);
            }
            else
            {
                errors.Add("mobileNumber", "invalid", problem!);
            }
        }
        else if (ContactDetails.TryNormaliseEmail(email, out var normalised))
        {
            // Mailboxes are matched without regard to case, as mail systems do.
            parsed = new OptOut(Channel.Email, normalised.ToLowerInvariant(), OptOutSource.Merchant, default);
        }
        else
        {
            errors.Add("email", "invalid", "Not a valid email address.");
        }

        return parsed is null ? ValidationResult<OptOut>.Invalid(errors.All) : ValidationResult<OptOut>.Valid(parsed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Mobile} texted STOP: no more SMS to it from this number")]
    private partial void LogStopped(string mobile);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Mobile} texted START: SMS to it may go again")]
    private partial void LogStarted(string mobile);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Email} unsubscribed by one click")]
    private partial void LogUnsubscribed(string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An inbound SMS from {From}, not a mobile number, was ignored")]
    private partial void LogIgnored(string from);
}
