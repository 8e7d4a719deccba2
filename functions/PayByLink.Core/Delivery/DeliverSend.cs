using Microsoft.Extensions.Logging;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Core.Telemetry;
using System.Diagnostics;

namespace PayByLink.Core.Delivery;

/// <summary>
/// What became of one attempt: finished (take the message off the queue), finished but worth keeping for an
/// operator (dead-letter it), or try again later.
/// </summary>
public sealed record DeliveryResult(bool Finished, bool DeadLetter, TimeSpan RetryAfter)
{
    /// <summary>The provider throttled the send: it comes back after <see cref="RetryAfter"/> as the same attempt.</summary>
    public bool Throttled { get; init; }

    public static readonly DeliveryResult Done = new(true, false, TimeSpan.Zero);

    public static readonly DeliveryResult DeadLettered = new(true, true, TimeSpan.Zero);

    public static DeliveryResult Later(TimeSpan delay) => new(false, false, delay);

    public static DeliveryResult ThrottledFor(TimeSpan delay) => new(false, false, delay) { Throttled = true };
}

/// <summary>
/// Delivers one send message through its channel's provider, at most once: the send's record is claimed before
/// the provider is called and read before every attempt, so a redelivered or duplicate message whose send
/// already succeeded sends nothing. A send whose sender stopped mid-call (its outcome unknown) waits for the
/// carrier's receipt before it is sent again. A recipient who opted out is skipped. Transient failures come back
/// later with backoff; permanent ones fail the record at once with the provider's reason; a request whose every
/// channel failed for good (or was opted out) becomes Failed.
/// </summary>
public sealed partial class DeliverSend(
    IPaymentRequestStore requests,
    IMerchantStore merchants,
    IDeliveryStore deliveries,
    IDeliveryReferences references,
    OptOuts optOuts,
    ISmsSender sms,
    IEmailSender email,
    PaymentLinks links,
    PaymentRequestChanges statuses,
    RetryPolicy retries,
    SendPacer pacer,
    TimeProvider clock,
    ILogger<DeliverSend> logger)
{
    /// <summary>
    /// How long a claimed send is left to the sender holding it before another may try: longer than a provider call
    /// takes, short enough that a send whose sender died is taken over within a minute.
    /// </summary>
    public static readonly TimeSpan SendingLease = TimeSpan.FromSeconds(30);

    public async Task<DeliveryResult> ExecuteAsync(SendMessage message, int attempt, bool isLastAttempt, CancellationToken cancellationToken)
    {
        // A span of the trace that published the message: HTTP create → queue → this delivery.
        using var activity = PayByLinkTelemetry.Source.StartActivity("deliver send", ActivityKind.Consumer, message.TraceParent);
        activity?.SetTag("paybylink.send", message.SendId);
        activity?.SetTag("paybylink.channel", message.Channel.Name());
        activity?.SetTag("paybylink.attempt", attempt);
        var now = clock.GetUtcNow();
        var found = await requests.FindAsync(message.MerchantId, message.RequestId, cancellationToken);
        var request = found?.Value;
        var recipient = request is null ? null : Recipient(request, message.Channel);
        var fresh = NewRecord(message, ContactDetails.Mask(recipient), now);
        var open = request is not null && StatusTransitions.IsOpen(request.Status);
        if (open && recipient is not null &&
            await optOuts.FindAsync(message.MerchantId, message.Channel, recipient, message.Channel == Channel.Sms ? sms.From : null, cancellationToken)
                is { } optOut)
        {
            return await SkipOptedOutAsync(found!, message, fresh, optOut, cancellationToken);
        }

        // Everything the provider call needs is read and written before the claim, so that a claimed send is one whose
        // provider call is under way: a sender that stops after claiming may have sent it.
        var providerCall = open && recipient is not null ? await PrepareAsync(request!, message, recipient, cancellationToken) : null;

        // The send's turn on its channel: at the configured rate, merchants served in rotation, none while the provider
        // has asked for a pause. Before the claim, so a send waiting its turn is not one whose outcome is unknown.
        if (providerCall is not null)
        {
            await pacer.WaitTurnAsync(message.Channel, message.MerchantId, cancellationToken);
        }

        // Usually a send has no record yet, and claiming it is one write: only a send seen before is read.
        var claim = open ? await TryClaimAsync(fresh, null, cancellationToken) : null;
        if (claim is null)
        {
            var existing = await deliveries.FindAsync(message.MerchantId, message.RequestId, message.SendId, cancellationToken);
            if (existing?.Value is { IsFinal: true } final)
            {
                LogAlreadyFinal(message.SendId, final.Status);
                await FinishRecordedAsync(final, request, cancellationToken);
                return DeliveryResult.Done;
            }

            if (existing?.Value is { Status: DeliveryStatus.Sending } held && now - held.UpdatedAt < SendingLease)
            {
                return DeliveryResult.Later(SendingLease - (now - held.UpdatedAt));
            }

            if (existing?.Value is { Status: DeliveryStatus.Sending } unknown && now - unknown.UpdatedAt < retries.ReceiptWait)
            {
                // Its sender stopped mid-call: the provider may have taken it. Its receipt, if it comes, settles it;
                // only when none has come by then is it sent again.
                LogAwaitingReceipt(message.SendId);
                return DeliveryResult.Later(retries.ReceiptWait - (now - unknown.UpdatedAt));
            }

            var record = existing?.Value ?? fresh;
            if (request is null)
            {
                await SaveAsync(record with { Status = DeliveryStatus.Failed, ErrorCode = "request_not_found", ErrorReason = "The request does not exist.", UpdatedAt = now },
                    existing?.Version, cancellationToken);
                return DeliveryResult.Done;
            }

            if (!StatusTransitions.IsOpen(request.Status))
            {
                await SaveAsync(record with { Status = DeliveryStatus.Skipped, ErrorReason = $"The request is {request.Status}.", UpdatedAt = now },
                    existing?.Version, cancellationToken);
                LogSkipped(message.SendId, request.Status);
                return DeliveryResult.Done;
            }

            claim = await TryClaimAsync(record, existing?.Version, cancellationToken);
            if (claim is null)
            {
                return DeliveryResult.Later(TimeSpan.FromSeconds(1));
            }
        }

        // Claimed: the request exists and is open.
        var (claimed, version) = (claim.Value, claim.Version);
        var read = found!;
        var outcome = providerCall is null
            ? SendOutcome.Permanent("no_recipient", $"The customer has no {message.Channel.Name()} contact.")
            : await CallProviderAsync(providerCall, cancellationToken);
        var after = clock.GetUtcNow();
        switch (outcome.Kind)
        {
            case SendOutcomeKind.Sent:
                // Usually the record and the request's move to Sent are one transaction; when the request has moved
                // on (another channel sent first), the record is written alone and the move made from a fresh read.
                var sent = claimed with { Status = DeliveryStatus.Sent, ProviderMessageId = outcome.ProviderMessageId, ErrorCode = null, ErrorReason = null, UpdatedAt = after };
                try
                {
                    if (message.Purpose == SendMessage.InitialPurpose)
                    {
                        await statuses.RecordSentAsync(read, new Versioned<DeliveryRecord>(sent, version), cancellationToken);
                    }
                    else
                    {
                        await SaveAsync(sent, version, cancellationToken);
                    }
                }
                catch (InvalidOperationException)
                {
                    // The carrier's receipt may have come first and recorded the send with it; anything else is a fault.
                    if (await deliveries.FindAsync(message.MerchantId, message.RequestId, message.SendId, cancellationToken)
                        is not { Value.Status: DeliveryStatus.Delivered or DeliveryStatus.Undeliverable })
                    {
                        throw;
                    }
                }

                LogSent(message.SendId, message.Channel, ContactDetails.Mask(recipient), claimed.Attempts);
                PayByLinkTelemetry.Sends.Add(1, new("channel", message.Channel.Name()), new("outcome", "sent"));
                return DeliveryResult.Done;

            case SendOutcomeKind.Throttled:
                // Refused for the provider's rate, not for this send: the channel pauses for as long as the provider
                // asked, and the send comes back then as the same attempt.
                pacer.Throttled(message.Channel, outcome.RetryAfter);
                await SaveAsync(claimed with
                {
                    Status = DeliveryStatus.Retrying, Attempts = claimed.Attempts - 1, ErrorCode = outcome.ErrorCode, ErrorReason = outcome.Reason, UpdatedAt = after,
                }, version, cancellationToken);
                LogThrottled(message.SendId, message.Channel, outcome.RetryAfter);
                return DeliveryResult.ThrottledFor(outcome.RetryAfter);

            case SendOutcomeKind.Transient when !isLastAttempt:
                await SaveAsync(claimed with { Status = DeliveryStatus.Retrying, ErrorCode = outcome.ErrorCode, ErrorReason = outcome.Reason, UpdatedAt = after },
                    version, cancellationToken);
                LogRetrying(message.SendId, claimed.Attempts, outcome.ErrorCode);
                return DeliveryResult.Later(retries.Backoff(attempt));

            case SendOutcomeKind.Transient:
                await FailAsync(read, claimed with
                {
                    ErrorCode = outcome.ErrorCode,
                    ErrorReason = $"Gave up after {claimed.Attempts} attempts: {outcome.Reason}",
                    UpdatedAt = after,
                }, version, cancellationToken);
                return DeliveryResult.DeadLettered;

            default:
                await FailAsync(read, claimed with { ErrorCode = outcome.ErrorCode, ErrorReason = outcome.Reason, UpdatedAt = after },
                    version, cancellationToken);
                return DeliveryResult.Done;
        }
    }

    /// <summary>Records a message that could not be delivered within its delivery limit (dead-lettered).</summary>
    public async Task RecordDeadLetteredAsync(SendMessage message, string reason, CancellationToken cancellationToken)
    {
        var existing = await deliveries.FindAsync(message.MerchantId, message.RequestId, message.SendId, cancellationToken);
        var request = await requests.FindAsync(message.MerchantId, message.RequestId, cancellationToken);
        if (existing?.Value is { IsFinal: true } final)
        {
            // Recorded, but what follows the record failed on every delivery (the consumers of its change, say): it
            // is done here, or this throws and the message is kept, so no batch line waits for good on a lost count.
            await FinishRecordedAsync(final, request?.Value, cancellationToken);
            return;
        }

        var record = (existing?.Value ?? NewRecord(message, null, clock.GetUtcNow())) with
        {
            ErrorCode = "dead_lettered",
            ErrorReason = reason,
            UpdatedAt = clock.GetUtcNow(),
        };
        if (request is null)
        {
            await SaveAsync(record with { Status = DeliveryStatus.Failed }, existing?.Version, cancellationToken);
            return;
        }

        await FailAsync(request, record, existing?.Version, cancellationToken);
    }

    /// <summary>
    /// What follows a send's final record, done again for a send found recorded: a sender may have stopped (or failed)
    /// after the record and before it failed the request or told the consumers of the change.
    /// </summary>
    private async Task FinishRecordedAsync(DeliveryRecord final, PaymentRequest? request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return;
        }

        if (final.Purpose == SendMessage.InitialPurpose && (final.Status == DeliveryStatus.Failed || final.ErrorCode == DeliveryRecord.OptedOut))
        {
            await FailRequestIfNoChannelLeftAsync(request, cancellationToken);
        }
        else
        {
            await statuses.RepeatAsync(request, cancellationToken);
        }
    }

    private async Task FailAsync(Versioned<PaymentRequest> read, DeliveryRecord record, string? version, CancellationToken cancellationToken)
    {
        // A send never claimed (dead-lettered before any attempt) has no record yet: its failure replaces a new one.
        version ??= await deliveries.TrySaveAsync(record, null, cancellationToken)
                    ?? throw new InvalidOperationException($"Delivery {record.SendId} changed while it was being recorded.");
        await statuses.RecordSendFailedAsync(read, new Versioned<DeliveryRecord>(record with { Status = DeliveryStatus.Failed }, version), cancellationToken);
        LogFailed(record.SendId, record.ErrorCode, record.ErrorReason);
        PayByLinkTelemetry.Sends.Add(1, new("channel", record.Channel.Name()), new("outcome", "failed"));
        if (record.Purpose == SendMessage.InitialPurpose)
        {
            await FailRequestIfNoChannelLeftAsync(read.Value, cancellationToken);
        }
    }

    /// <summary>
    /// Records a send held back because its recipient opted out: Skipped, with the error code <c>opted_out</c>. Other
    /// channels still go; a request whose every channel is held back or failed becomes Failed.
    /// </summary>
    private async Task<DeliveryResult> SkipOptedOutAsync(Versioned<PaymentRequest> read, SendMessage message, DeliveryRecord fresh, OptOut optOut,
        CancellationToken cancellationToken)
    {
        var existing = await deliveries.FindAsync(message.MerchantId, message.RequestId, message.SendId, cancellationToken);
        if (existing?.Value is { IsFinal: true })
        {
            return DeliveryResult.Done;
        }

        var now = clock.GetUtcNow();
        if (existing?.Value is { Status: DeliveryStatus.Sending } held && now - held.UpdatedAt < retries.ReceiptWait)
        {
            // A sender holds it or left it mid-call: its receipt, not the opt-out, says what became of it.
            return DeliveryResult.Later(retries.ReceiptWait - (now - held.UpdatedAt));
        }

        var skipped = (existing?.Value ?? fresh) with
        {
            Status = DeliveryStatus.Skipped,
            ErrorCode = DeliveryRecord.OptedOut,
            ErrorReason = optOut.Source switch
            {
                OptOutSource.Stop => "The customer texted STOP to the sender number.",
                OptOutSource.Unsubscribe => "The customer unsubscribed from the merchant's emails.",
                _ => "The recipient is on the merchant's suppression list.",
            },
            UpdatedAt = now,
        };
        if (await deliveries.TrySaveAsync(skipped, existing?.Version, cancellationToken) is null)
        {
            return DeliveryResult.Later(TimeSpan.FromSeconds(1));
        }

        LogOptedOut(message.SendId, optOut.Source);
        PayByLinkTelemetry.Sends.Add(1, new("channel", message.Channel.Name()), new("outcome", "opted_out"));
        if (message.Purpose == SendMessage.InitialPurpose)
        {
            await FailRequestIfNoChannelLeftAsync(read.Value, cancellationToken);
        }

        return DeliveryResult.Done;
    }

    /// <summary>
    /// Failed means no channel could deliver the link: every channel's first send has failed for good or was held
    /// back because its recipient opted out.
    /// </summary>
    private async Task FailRequestIfNoChannelLeftAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var all = await deliveries.ListAsync(request.MerchantId, request.RequestId, cancellationToken);
        var failedChannels = all.Where(d => d.Purpose == SendMessage.InitialPurpose &&
                                            (d.Status == DeliveryStatus.Failed || d is { Status: DeliveryStatus.Skipped, ErrorCode: DeliveryRecord.OptedOut }))
            .Select(d => d.Channel).ToHashSet();
        if (request.Content.Channels.All(failedChannels.Contains))
        {
            await statuses.ExecuteAsync(request.MerchantId, request.RequestId, PaymentRequestStatus.Failed, cancellationToken);
        }
    }

    /// <summary>Marks the send as being sent by this sender, one attempt more; null when another got there first.</summary>
    private async Task<Versioned<DeliveryRecord>?> TryClaimAsync(DeliveryRecord record, string? version, CancellationToken cancellationToken)
    {
        var claimed = record with { Status = DeliveryStatus.Sending, Attempts = record.Attempts + 1, UpdatedAt = clock.GetUtcNow() };
        return await deliveries.TrySaveAsync(claimed, version, cancellationToken) is { } saved ? new Versioned<DeliveryRecord>(claimed, saved) : null;
    }

    private async Task SaveAsync(DeliveryRecord record, string? version, CancellationToken cancellationToken)
    {
        if (await deliveries.TrySaveAsync(record, version, cancellationToken) is null)
        {
            throw new InvalidOperationException($"Delivery {record.SendId} changed while it was being recorded.");
        }
    }

    /// <summary>
    /// The provider call for this send, with its text, tag or operation id: an email's delivery report names only its
    /// operation id, so what it belongs to is kept first.
    /// </summary>
    private async Task<Func<CancellationToken, Task<SendOutcome>>> PrepareAsync(PaymentRequest request, SendMessage message, string recipient,
        CancellationToken cancellationToken)
    {
        var merchant = await merchants.FindAsync(request.MerchantId, cancellationToken);
        var merchantName = merchant?.DisplayName ?? request.MerchantId;
        if (message.Channel == Channel.Sms)
        {
            var text = new SmsToSend(message.SendId, recipient, PaymentMessages.Sms(merchantName, request, links.ShortUrl(request.ShortCode), message.Purpose),
                CarrierReferences.SmsTag(message.MerchantId, message.SendId));
            return ct => sms.SendAsync(text, ct);
        }

        var operationId = CarrierReferences.EmailOperationId(message.SendId);
        await references.SaveAsync(operationId, new SendReference(message.MerchantId, message.RequestId, message.SendId), cancellationToken);
        var mail = new EmailToSend(message.SendId, recipient, request.Content.Customer.FullName,
            PaymentMessages.Email(merchantName, request, links.LongUrl(request.PaymentToken), message.Purpose), operationId,
            links.UnsubscribeUrl(request.PaymentToken));
        return ct => email.SendAsync(mail, ct);
    }

    private static async Task<SendOutcome> CallProviderAsync(Func<CancellationToken, Task<SendOutcome>> providerCall, CancellationToken cancellationToken)
    {
        try
        {
            return await providerCall(cancellationToken);
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

    private static DeliveryRecord NewRecord(SendMessage message, string? maskedRecipient, DateTimeOffset now) =>
        new(message.SendId, message.MerchantId, message.RequestId, message.Channel, message.Purpose, DeliveryStatus.Sending, 0,
            maskedRecipient, null, null, null, now);

    private static string? Recipient(PaymentRequest request, Channel channel) =>
        channel == Channel.Sms ? request.Content.Customer.MobileNumber : request.Content.Customer.Email;

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

/// <summary>
/// How often and how patiently a send is tried: exponential backoff with full jitter (up to 10 s, 20 s, 40 s …
/// by default, capped at 10 minutes), the delivery count after which a message is dead-lettered, and how long a send
/// whose outcome a stopped sender left unknown waits for its receipt before it is sent again (15 minutes).
/// </summary>
public sealed class RetryPolicy(TimeSpan firstDelay, TimeSpan maxDelay, int maxDeliveryCount, TimeSpan? receiptWait = null)
{
    // Before Default, which reads it: static fields are set in the order written.
    public static readonly TimeSpan DefaultReceiptWait = TimeSpan.FromMinutes(15);

    public static readonly RetryPolicy Default = new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), 6);

    public int MaxDeliveryCount { get; } = maxDeliveryCount;

    /// <summary>Counted from the claim of the send's last attempt; never shorter than the sending lease.</summary>
    public TimeSpan ReceiptWait { get; } = receiptWait is not { } wait ? DefaultReceiptWait : wait > DeliverSend.SendingLease ? wait : DeliverSend.SendingLease;

    public TimeSpan Backoff(int attempt, double? jitter = null)
    {
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, firstDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromMilliseconds(Math.Max(10, ceiling * (jitter ?? Random.Shared.NextDouble())));
    }
}
