using Microsoft.Extensions.Logging;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;
using PayByLink.Core.Telemetry;
using System.Diagnostics;

namespace PayByLink.Core.Delivery;

/// <summary>
/// Delivers one send message through its channel's provider, at most once: the send's record is claimed before
/// the provider is called and read before every attempt, so a redelivered or duplicate message whose send
/// already succeeded sends nothing. A send whose sender stopped mid-call (its outcome unknown) waits for the
/// carrier's receipt before it is sent again. A recipient who opted out is skipped, and so is a request of a stopped
/// batch. Transient failures come back later with backoff; permanent ones fail the record at once with the
/// provider's reason. Every change of the record is <see cref="SendLifecycle"/>'s.
/// </summary>
public sealed partial class DeliverSend(
    IPaymentRequestStore requests,
    OptOuts optOuts,
    SendProviderCalls providers,
    SendLifecycle sends,
    SendPacer pacer,
    Batches.BatchStops stops,
    TimeProvider clock,
    ILogger<DeliverSend> logger)
{
    public async Task<DeliveryResult> ExecuteAsync(SendMessage message, int attempt, bool isLastAttempt, CancellationToken cancellationToken)
    {
        // A span of the trace that published the message: HTTP create → queue → this delivery.
        using var activity = PayByLinkTelemetry.Source.StartActivity("deliver send", ActivityKind.Consumer, message.TraceParent);
        activity?.SetTag("paybylink.send", message.SendId);
        activity?.SetTag("paybylink.channel", message.Channel.Name());
        activity?.SetTag("paybylink.attempt", attempt);
        var found = await requests.FindAsync(message.MerchantId, message.RequestId, cancellationToken);
        if (found?.Value is { } waiting && await stops.CancelIfStoppedAsync(waiting, message, cancellationToken))
        {
            found = await requests.FindAsync(message.MerchantId, message.RequestId, cancellationToken); // cancelled: skipped below
        }

        var request = found?.Value;
        var recipient = request is null ? null : SendProviderCalls.Recipient(request, message.Channel);
        var fresh = SendLifecycle.New(message, ContactDetails.Mask(recipient), clock.GetUtcNow());
        var open = request is not null && StatusTransitions.IsOpen(request.Status);
        if (open && recipient is not null &&
            await optOuts.FindAsync(message.MerchantId, message.Channel, recipient, message.Channel == Channel.Sms ? providers.SmsFrom : null, cancellationToken)
                is { } optOut)
        {
            return await SkipOptedOutAsync(found!, message, fresh, optOut, cancellationToken);
        }

        // All the provider call needs is read and written before the claim: a claimed send's call is under way.
        var providerCall = open && recipient is not null ? await providers.PrepareAsync(request!, message, recipient, cancellationToken) : null;

        // The send's turn on its channel: at the configured rate, merchants served in rotation, none while the provider
        // has asked for a pause. Before the claim, so a send waiting its turn is not one whose outcome is unknown.
        if (providerCall is not null)
        {
            await pacer.WaitTurnAsync(message.Channel, message.MerchantId, cancellationToken);
            if (await stops.CancelIfStoppedAsync(request!, message, cancellationToken))
            {
                return DeliveryResult.Later(TimeSpan.Zero); // its batch stopped while it waited: skipped when it comes back
            }
        }

        // Usually a send has no record yet, and claiming it is one write: only a send seen before is read.
        var claimed = open ? await sends.TryClaimAsync(fresh, null, cancellationToken) : null;
        if (claimed is null)
        {
            var existing = await sends.FindAsync(message, cancellationToken);
            if (existing?.Value is { IsFinal: true } final)
            {
                LogAlreadyFinal(message.SendId, final.Status);
                await sends.FinishRecordedAsync(final, request, cancellationToken);
                return DeliveryResult.Done;
            }

            if (sends.Hold(existing?.Value) is { } hold)
            {
                // Held by its sender; or its sender stopped mid-call and the provider may have taken it: its receipt, if
                // it comes, settles it, and only when none has come by then is it sent again.
                if (hold.LeftMidCall)
                {
                    LogAwaitingReceipt(message.SendId);
                }

                return DeliveryResult.Later(hold.For);
            }

            var record = existing?.Value ?? fresh;
            if (request is null)
            {
                await sends.RecordOrphanAsync(record, existing?.Version, cancellationToken);
                return DeliveryResult.Done;
            }

            if (!StatusTransitions.IsOpen(request.Status))
            {
                if (await sends.TrySkipAsync(request, record, existing?.Version, null, $"The request is {request.Status}.", cancellationToken))
                {
                    LogSkipped(message.SendId, request.Status);
                    return DeliveryResult.Done;
                }

                return DeliveryResult.Later(TimeSpan.FromSeconds(1));
            }

            claimed = await sends.TryClaimAsync(record, existing?.Version, cancellationToken);
            if (claimed is null)
            {
                return DeliveryResult.Later(TimeSpan.FromSeconds(1));
            }
        }

        // Claimed: the request exists and is open.
        var outcome = providerCall is null
            ? SendOutcome.Permanent("no_recipient", $"The customer has no {message.Channel.Name()} contact.")
            : await providerCall(cancellationToken);
        var attempts = claimed.Value.Attempts;
        switch (outcome.Kind)
        {
            case SendOutcomeKind.Sent:
                await sends.RecordSentAsync(found!, claimed, outcome.ProviderMessageId, cancellationToken);
                LogSent(message.SendId, message.Channel, ContactDetails.Mask(recipient), attempts);
                PayByLinkTelemetry.Sends.Add(1, new("channel", message.Channel.Name()), new("outcome", "sent"));
                return DeliveryResult.Done;

            case SendOutcomeKind.Throttled:
                // Refused for the provider's rate, not for this send: the channel pauses for as long as the provider
                // asked, and the send comes back then as the same attempt.
                pacer.Throttled(message.Channel, outcome.RetryAfter);
                await sends.RecordRetryingAsync(claimed, outcome, cancellationToken);
                LogThrottled(message.SendId, message.Channel, outcome.RetryAfter);
                return DeliveryResult.ThrottledFor(outcome.RetryAfter);

            case SendOutcomeKind.Transient when !isLastAttempt:
                await sends.RecordRetryingAsync(claimed, outcome, cancellationToken);
                LogRetrying(message.SendId, attempts, outcome.ErrorCode);
                return DeliveryResult.Failed;

            default:
                var reason = outcome.Kind == SendOutcomeKind.Transient ? $"Gave up after {attempts} attempts: {outcome.Reason}" : outcome.Reason;
                await sends.RecordFailedAsync(found!, claimed.Value with { ErrorCode = outcome.ErrorCode, ErrorReason = reason }, claimed.Version,
                    cancellationToken);
                LogFailed(message.SendId, outcome.ErrorCode, reason);
                return outcome.Kind == SendOutcomeKind.Transient ? DeliveryResult.DeadLettered : DeliveryResult.Done;
        }
    }

    /// <summary>
    /// A send held back because its recipient opted out: Skipped, with the error code <c>opted_out</c>. Other channels
    /// still go. One a sender holds, or left mid-call, is settled by its receipt instead.
    /// </summary>
    private async Task<DeliveryResult> SkipOptedOutAsync(Versioned<PaymentRequest> read, SendMessage message, DeliveryRecord fresh, OptOut optOut,
        CancellationToken cancellationToken)
    {
        var existing = await sends.FindAsync(message, cancellationToken);
        if (existing?.Value is { IsFinal: true })
        {
            return DeliveryResult.Done;
        }

        if (sends.Hold(existing?.Value) is { } hold)
        {
            return DeliveryResult.Later(hold.For);
        }

        if (!await sends.TrySkipAsync(read.Value, existing?.Value ?? fresh, existing?.Version, DeliveryRecord.OptedOut, optOut.Reason, cancellationToken))
        {
            return DeliveryResult.Later(TimeSpan.FromSeconds(1));
        }

        LogOptedOut(message.SendId, optOut.Source);
        PayByLinkTelemetry.Sends.Add(1, new("channel", message.Channel.Name()), new("outcome", "opted_out"));
        return DeliveryResult.Done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Send {SendId} sent by {Channel} to {Recipient} on attempt {Attempt}")]
    private partial void LogSent(string sendId, Channel channel, string recipient, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send {SendId}: the provider throttled {Channel}; sends wait {RetryAfter}")]
    private partial void LogThrottled(string sendId, Channel channel, TimeSpan retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send {SendId} attempt {Attempt} failed ({ErrorCode}); retrying")]
    private partial void LogRetrying(string sendId, int attempt, string? errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send {SendId} failed for good ({ErrorCode}): {Reason}")]
    private partial void LogFailed(string sendId, string? errorCode, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Send {SendId} is already {Status}; nothing sent")]
    private partial void LogAlreadyFinal(string sendId, DeliveryStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Send {SendId} skipped: its recipient opted out ({Source})")]
    private partial void LogOptedOut(string sendId, OptOutSource source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send {SendId} was left mid-call by a sender that stopped; waiting for its receipt before sending it again")]
    private partial void LogAwaitingReceipt(string sendId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Send {SendId} skipped: the request is {Status}")]
    private partial void LogSkipped(string sendId, PaymentRequestStatus status);
}
