using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;
using PayByLink.Core.Telemetry;

namespace PayByLink.Core.Delivery;

/// <summary>
/// The one owner of a send's record: every change of its status (new → Sending → Sent → Delivered or Undeliverable;
/// Retrying, Skipped, Failed) is made here, by the rule written beside it, for the sender, the receipt handler and
/// the dead-letter path alike. A channel's first send moves the request with it, in one transaction.
/// </summary>
public sealed class SendLifecycle(IDeliveryStore deliveries, PaymentRequestChanges statuses, RetryPolicy retries, TimeProvider clock)
{
    public static DeliveryRecord New(SendMessage message, string? maskedRecipient, DateTimeOffset now) =>
        new(message.SendId, message.MerchantId, message.RequestId, message.Channel, message.Purpose, DeliveryStatus.Sending, 0,
            maskedRecipient, null, null, null, now);

    public Task<Versioned<DeliveryRecord>?> FindAsync(SendMessage message, CancellationToken cancellationToken) =>
        deliveries.FindAsync(message.MerchantId, message.RequestId, message.SendId, cancellationToken);

    /// <summary>A send still Sending is its sender's for the lease; then, left mid-call, it waits for its receipt. Null: it may be taken.</summary>
    public SendHold? Hold(DeliveryRecord? record)
    {
        if (record is not { Status: DeliveryStatus.Sending })
        {
            return null;
        }

        var held = clock.GetUtcNow() - record.UpdatedAt;
        return held < retries.SendingLease ? new SendHold(retries.SendingLease - held, false)
            : held < retries.ReceiptWait ? new SendHold(retries.ReceiptWait - held, true)
            : null;
    }

    /// <summary>Marks the send as being sent by this sender, one attempt more; null when another got there first.</summary>
    public async Task<Versioned<DeliveryRecord>?> TryClaimAsync(DeliveryRecord record, string? version, CancellationToken cancellationToken)
    {
        var claimed = record with { Status = DeliveryStatus.Sending, Attempts = record.Attempts + 1, UpdatedAt = clock.GetUtcNow() };
        return await deliveries.TrySaveAsync(claimed, version, cancellationToken) is { } saved ? new Versioned<DeliveryRecord>(claimed, saved) : null;
    }

    /// <summary>
    /// The provider took the send. A channel's first send is recorded with the request's move to Sent and its <c>.sent</c>
    /// event, in one transaction; any other by its record alone. False when the record had moved on.
    /// </summary>
    public async Task<bool> TryRecordSentAsync(Versioned<PaymentRequest> read, Versioned<DeliveryRecord> sending, string? providerMessageId,
        DateTimeOffset at, CancellationToken cancellationToken)
    {
        var sent = sending.Value with
        {
            Status = DeliveryStatus.Sent, ProviderMessageId = providerMessageId ?? sending.Value.ProviderMessageId, ErrorCode = null, ErrorReason = null,
            UpdatedAt = at,
        };
        if (sent.Purpose != SendMessage.InitialPurpose)
        {
            return await deliveries.TrySaveAsync(sent, sending.Version, cancellationToken) is not null;
        }

        try
        {
            await statuses.RecordSentAsync(read, new Versioned<DeliveryRecord>(sent, sending.Version), cancellationToken);
            return true;
        }
        catch (DeliveryChangedException)
        {
            return false;
        }
    }

    /// <summary>The sender's record of a send the provider took: only its receipt may have recorded it first.</summary>
    public async Task RecordSentAsync(Versioned<PaymentRequest> read, Versioned<DeliveryRecord> claimed, string? providerMessageId,
        CancellationToken cancellationToken)
    {
        if (!await TryRecordSentAsync(read, claimed, providerMessageId, clock.GetUtcNow(), cancellationToken) &&
            await deliveries.FindAsync(claimed.Value.MerchantId, claimed.Value.RequestId, claimed.Value.SendId, cancellationToken)
                is not { Value.Status: DeliveryStatus.Delivered or DeliveryStatus.Undeliverable })
        {
            throw new DeliveryChangedException(claimed.Value.SendId);
        }
    }

    /// <summary>A failure worth another attempt: Retrying. A throttled send (the provider's rate, not the send) spends no attempt.</summary>
    public Task RecordRetryingAsync(Versioned<DeliveryRecord> claimed, SendOutcome outcome, CancellationToken cancellationToken) =>
        SaveAsync(claimed.Value with
        {
            Status = DeliveryStatus.Retrying,
            Attempts = outcome.Kind == SendOutcomeKind.Throttled ? claimed.Value.Attempts - 1 : claimed.Value.Attempts,
            ErrorCode = outcome.ErrorCode, ErrorReason = outcome.Reason, UpdatedAt = clock.GetUtcNow(),
        }, claimed.Version, cancellationToken);

    /// <summary>
    /// Failed for good, with a <c>.send_failed</c> event. A send never claimed (dead-lettered before any attempt) has no
    /// record yet: its failure is written as a new one. A request whose every channel is lost becomes Failed.
    /// </summary>
    public async Task RecordFailedAsync(Versioned<PaymentRequest> read, DeliveryRecord record, string? version, CancellationToken cancellationToken)
    {
        var failed = record with { Status = DeliveryStatus.Failed, UpdatedAt = clock.GetUtcNow() };
        version ??= await deliveries.TrySaveAsync(record, null, cancellationToken) ?? throw new DeliveryChangedException(record.SendId);
        await statuses.RecordSendFailedAsync(read, new Versioned<DeliveryRecord>(failed, version), cancellationToken);
        PayByLinkTelemetry.Sends.Add(1, new("channel", record.Channel.Name()), new("outcome", "failed"));
        if (record.Purpose == SendMessage.InitialPurpose)
        {
            await FailRequestIfNoChannelLeftAsync(read.Value, cancellationToken);
        }
    }

    /// <summary>A send whose request does not exist: Failed, with nothing to tell.</summary>
    public Task RecordOrphanAsync(DeliveryRecord record, string? version, CancellationToken cancellationToken) =>
        SaveAsync(record with { Status = DeliveryStatus.Failed, ErrorCode = "request_not_found", ErrorReason = "The request does not exist.", UpdatedAt = clock.GetUtcNow() },
            version, cancellationToken);

    /// <summary>Not sent: the request is closed, or the recipient opted out (<c>opted_out</c>). False when the record had moved on.</summary>
    public async Task<bool> TrySkipAsync(PaymentRequest request, DeliveryRecord record, string? version, string? errorCode, string reason,
        CancellationToken cancellationToken)
    {
        var skipped = record with { Status = DeliveryStatus.Skipped, ErrorCode = errorCode, ErrorReason = reason, UpdatedAt = clock.GetUtcNow() };
        if (await deliveries.TrySaveAsync(skipped, version, cancellationToken) is null)
        {
            return false;
        }

        if (errorCode == DeliveryRecord.OptedOut && record.Purpose == SendMessage.InitialPurpose)
        {
            await FailRequestIfNoChannelLeftAsync(request, cancellationToken);
        }

        return true;
    }

    /// <summary>What follows a final record, done again for a send found recorded: its sender may have stopped after the record.</summary>
    public async Task FinishRecordedAsync(DeliveryRecord final, PaymentRequest? request, CancellationToken cancellationToken)
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

    /// <summary>
    /// A carrier's report on a send as it stands: Delivered is never taken back, and a second report of the same outcome
    /// is a repeat; a send still Sending or Retrying was taken by the provider, and is recorded Sent first.
    /// </summary>
    public static ReceiptStep OnReceipt(DeliveryRecord record, DeliveryReceipt receipt) => record.Status switch
    {
        DeliveryStatus.Delivered => ReceiptStep.Repeat,
        DeliveryStatus.Undeliverable when !receipt.Delivered => ReceiptStep.Repeat,
        DeliveryStatus.Skipped => ReceiptStep.Ignore,
        DeliveryStatus.Sending or DeliveryStatus.Retrying => ReceiptStep.RecordSentFirst,
        _ => ReceiptStep.Record,
    };

    /// <summary>Delivered or Undeliverable, with the carrier's words and a <c>.delivered</c> or <c>.undeliverable</c> event; false when either had moved on.</summary>
    public async Task<bool> TryRecordReceiptAsync(Versioned<PaymentRequest> read, Versioned<DeliveryRecord> found, DeliveryReceipt receipt,
        CancellationToken cancellationToken)
    {
        var received = found.Value with { Status = receipt.Delivered ? DeliveryStatus.Delivered : DeliveryStatus.Undeliverable, Receipt = receipt };
        try
        {
            await statuses.RecordReceiptAsync(read, new Versioned<DeliveryRecord>(received, found.Version), cancellationToken);
            return true;
        }
        catch (DeliveryChangedException)
        {
            return false;
        }
    }

    public Task RepeatReceiptAsync(DeliveryRecord record, CancellationToken cancellationToken) => statuses.RepeatReceiptAsync(record, cancellationToken);

    /// <summary>Failed means no channel could deliver the link: every channel's first send failed for good or was held back by an opt-out.</summary>
    private async Task FailRequestIfNoChannelLeftAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var lost = (await deliveries.ListAsync(request.MerchantId, request.RequestId, cancellationToken))
            .Where(d => d.Purpose == SendMessage.InitialPurpose &&
                        (d.Status == DeliveryStatus.Failed || d is { Status: DeliveryStatus.Skipped, ErrorCode: DeliveryRecord.OptedOut }))
            .Select(d => d.Channel).ToHashSet();
        if (request.Content.Channels.All(lost.Contains))
        {
            await statuses.ExecuteAsync(request.MerchantId, request.RequestId, PaymentRequestStatus.Failed, Events.Actor.Sender, cancellationToken);
        }
    }

    private async Task SaveAsync(DeliveryRecord record, string? version, CancellationToken cancellationToken)
    {
        if (await deliveries.TrySaveAsync(record, version, cancellationToken) is null)
        {
            throw new DeliveryChangedException(record.SendId);
        }
    }
}
