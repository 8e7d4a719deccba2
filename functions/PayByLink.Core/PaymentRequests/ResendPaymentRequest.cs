using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Limits;
using PayByLink.Core.Ports;

namespace PayByLink.Core.PaymentRequests;

/// <summary>A resend of an open request's link on one channel: to the customer's number or address, or a corrected one.</summary>
public sealed record ResendInput(string? Channel, string? MobileNumber, string? Email);

public enum ResendOutcome
{
    Resent,
    NotFound,

    /// <summary>The request is closed (paid, cancelled, expired, failed): there is nothing to pay.</summary>
    Closed,
    Invalid,
    DailyCapReached,
}

public sealed record ResendResult(ResendOutcome Outcome, PaymentRequest? Request, IReadOnlyList<FieldError> Errors)
{
    public CapReached? Cap { get; init; }
}

/// <summary>
/// Sends an open request's link again (the same link), on one channel: counted against the merchant's daily cap like any
/// first message, held back by an opt-out like any send. A corrected mobile number or email replaces the customer's
/// (reminders and instalments go there too). Recorded as <c>payment_request.resent</c>, and the send as
/// <c>resend-{n}</c>, the request's nth resend.
/// </summary>
public sealed class ResendPaymentRequest(IPaymentRequestStore requests, PaymentRequestChanges changes, DailyMessageCap cap,
    ISendMessagePublisher publisher, TimeProvider clock)
{
    public const string PurposePrefix = "resend-";

    public async Task<ResendResult> ExecuteAsync(Merchant merchant, string requestId, ResendInput input, Actor actor, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!Channels.TryParse(input.Channel, out var channel))
        {
            errors.Add("channel", "invalid_channel", "channel must be sms or email.");
        }

        string? mobile = null, email = null;
        if (!string.IsNullOrWhiteSpace(input.MobileNumber))
        {
            if (channel != Channel.Sms)
            {
                errors.Add("mobileNumber", "not_for_channel", "A mobileNumber goes with channel sms.");
            }
            else if (!ContactDetails.TryNormaliseMobile(input.MobileNumber, merchant.PhoneRegion, out var e164, out var problem))
            {
                errors.Add("mobileNumber", "invalid_mobile_number", problem!);
            }
            else
            {
                mobile = e164;
            }
        }

        if (!string.IsNullOrWhiteSpace(input.Email))
        {
            if (channel != Channel.Email)
            {
                errors.Add("email", "not_for_channel", "An email goes with channel email.");
            }
            else if (!ContactDetails.TryNormaliseEmail(input.Email, out var normalised))
            {
                errors.Add("email", "invalid_email", "Not a valid email address.");
            }
            else
            {
                email = normalised;
            }
        }

        if (errors.Any)
        {
            return new ResendResult(ResendOutcome.Invalid, null, errors.All);
        }

        if ((await requests.FindAsync(merchant.Id, requestId, cancellationToken))?.Value is not { } request)
        {
            return new ResendResult(ResendOutcome.NotFound, null, []);
        }

        if (!StatusTransitions.IsOpen(request.Status))
        {
            return new ResendResult(ResendOutcome.Closed, request, []);
        }

        var customer = request.Content.Customer;
        var corrected = customer with { MobileNumber = mobile ?? customer.MobileNumber, Email = email ?? customer.Email };
        if ((channel == Channel.Sms ? corrected.MobileNumber : corrected.Email) is null)
        {
            return new ResendResult(ResendOutcome.Invalid, request,
                [new FieldError(channel == Channel.Sms ? "mobileNumber" : "email", "no_recipient",
                    $"The customer has no {(channel == Channel.Sms ? "mobile number" : "email")}: give one to send to.")]);
        }

        var messages = DailyMessageCap.Messages([channel]);
        if (await cap.CheckAsync(merchant, messages, cancellationToken) is { } reached)
        {
            return new ResendResult(ResendOutcome.DailyCapReached, request, []) { Cap = reached };
        }

        if (await changes.ResendAsync(merchant.Id, requestId, corrected, actor, cancellationToken) is not { } resent)
        {
            return new ResendResult(ResendOutcome.Closed, request, []);
        }

        await cap.CountAsync(merchant, messages, cancellationToken);
        await publisher.PublishAsync([SendMessage.For(resent, channel, PurposePrefix + resent.Resends, clock.GetUtcNow())], cancellationToken);
        return new ResendResult(ResendOutcome.Resent, resent, []);
    }
}
