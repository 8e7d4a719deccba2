using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Payments;
using PayByLink.Core.Ports;

namespace PayByLink.Core.PaymentRequests;

public enum StatusUpdateOutcome
{
    Updated,

    /// <summary>The request already had the asked-for status; nothing changed.</summary>
    Unchanged,
    NotFound,

    /// <summary>The request's current status does not allow the change.</summary>
    NotAllowed,
}

public sealed record StatusUpdateResult(StatusUpdateOutcome Outcome, PaymentRequest? Request);

/// <summary>
/// The one way a stored request changes: its status (if the transition table allows it), a first send accepted or a
/// send failed for good, a payment taken. Each change is stored with its event in one transaction, safe against
/// concurrent writers, and then published to the consumers of changes (batch tallies, webhooks). A repeat that finds
/// the change made publishes again, so a consumer that a crash kept from hearing of it hears of it then.
/// </summary>
public sealed class PaymentRequestChanges(IPaymentRequestStore requests, IEventLog events, ChangePublisher changes, TimeProvider clock)
{
    /// <summary>Tells the consumers of changes again of the request as it stands, after a repeat found its change made.</summary>
    public Task RepeatAsync(PaymentRequest request, CancellationToken cancellationToken) =>
        changes.PublishAsync(new Change(request.MerchantId, request.RequestId, [], request), cancellationToken);

    /// <summary>
    /// Records a channel's first send, which the provider accepted, with a <c>.sent</c> event in one transaction
    /// (moving a Pending request to Sent).
    /// </summary>
    /// <exception cref="DeliveryChangedException">The delivery record changed since it was claimed.</exception>
    public Task RecordSentAsync(Versioned<PaymentRequest> read, Versioned<DeliveryRecord> delivery, CancellationToken cancellationToken) =>
        ChangeAsync(read, delivery, request =>
                StatusTransitions.CanMove(request.Status, PaymentRequestStatus.Sent) ? PaymentRequestStatus.Sent : request.Status,
            _ => EventTypes.RequestSent, null, Actor.Sender, cancellationToken);

    /// <summary>Records a send that failed for good, with a <c>.send_failed</c> event, in one transaction.</summary>
    /// <exception cref="DeliveryChangedException">The delivery record changed since it was claimed.</exception>
    public Task RecordSendFailedAsync(Versioned<PaymentRequest> read, Versioned<DeliveryRecord> delivery, CancellationToken cancellationToken) =>
        ChangeAsync(read, delivery, request => request.Status, _ => EventTypes.RequestSendFailed, null, Actor.Sender, cancellationToken);

    /// <summary>
    /// Records a carrier's receipt on a send (the record as the receipt leaves it), with a <c>.delivered</c> or
    /// <c>.undeliverable</c> event in one transaction. The request's status does not change.
    /// </summary>
    /// <exception cref="DeliveryChangedException">The delivery record changed since it was read.</exception>
    public Task RecordReceiptAsync(Versioned<PaymentRequest> read, Versioned<DeliveryRecord> delivery, CancellationToken cancellationToken) =>
        ChangeAsync(read, delivery, request => request.Status,
            _ => delivery.Value.Status == DeliveryStatus.Delivered ? EventTypes.RequestDelivered : EventTypes.RequestUndeliverable,
            null, Actor.Carrier, cancellationToken);

    /// <summary>
    /// Tells the consumers of changes again of a receipt already recorded (a carrier repeating itself), with its event,
    /// so one a crash kept from hearing of it hears of it now.
    /// </summary>
    public async Task RepeatReceiptAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        var type = delivery.Status == DeliveryStatus.Delivered ? EventTypes.RequestDelivered : EventTypes.RequestUndeliverable;
        var recorded = (await events.ListAsync(delivery.MerchantId, delivery.RequestId, cancellationToken))
            .LastOrDefault(e => e.Type == type && e.Data.Delivery?.SendId == delivery.SendId);
        if (recorded?.Data.Request is { } request)
        {
            await changes.PublishAsync(new Change(delivery.MerchantId, delivery.RequestId, [recorded], request), cancellationToken);
        }
    }

    /// <summary>
    /// Records a payment the store has taken: <c>.instalment_paid</c> while more is due, <c>.paid</c> (and Paid) with
    /// the last, <c>.payment_refused</c> when the request had closed (the money is to be refunded). Once per payment:
    /// a repeat finds its event and publishes it again. The type of the payment's event.
    /// </summary>
    public async Task<string?> RecordPaymentAsync(string merchantId, string requestId, Payment payment, bool paidInFull,
        CancellationToken cancellationToken)
    {
        var recorded = (await events.ListAsync(merchantId, requestId, cancellationToken))
            .FirstOrDefault(e => e.Data.Payment is { } p && p.Provider == payment.Provider && p.ProviderReference == payment.ProviderReference);
        if (recorded is not null)
        {
            await changes.PublishAsync(new Change(merchantId, requestId, [], recorded.Data.Request), cancellationToken);
            return recorded.Type;
        }

        if (await requests.FindAsync(merchantId, requestId, cancellationToken) is not { } read)
        {
            return null;
        }

        var changed = await ChangeAsync(read, null,
            request => paidInFull && StatusTransitions.CanMove(request.Status, PaymentRequestStatus.Paid) ? PaymentRequestStatus.Paid : request.Status,
            request => !StatusTransitions.IsOpen(request.Status) && request.Status != PaymentRequestStatus.Paid ? EventTypes.RequestPaymentRefused
                : paidInFull ? EventTypes.RequestPaid
                : EventTypes.RequestInstalmentPaid,
            payment, Actor.Customer, cancellationToken);
        return changed.Type;
    }

    /// <summary>
    /// Records <c>.payment_refunded</c> for a payment refused after its request closed and refunded through the provider
    /// (<see cref="Payment.RefundReference"/>); once per payment, the request's status unchanged.
    /// </summary>
    public async Task RecordRefundAsync(Payment refunded, CancellationToken cancellationToken)
    {
        var (merchantId, requestId) = (refunded.MerchantId, refunded.RequestId);
        if ((await events.ListAsync(merchantId, requestId, cancellationToken)).Any(e => e.Type == EventTypes.RequestPaymentRefunded &&
                e.Data.Payment is { } p && p.Provider == refunded.Provider && p.ProviderReference == refunded.ProviderReference) ||
            await requests.FindAsync(merchantId, requestId, cancellationToken) is not { } read)
        {
            return;
        }

        await ChangeAsync(read, null, request => request.Status, _ => EventTypes.RequestPaymentRefunded, refunded, Actor.PaymentProvider, cancellationToken);
    }

    public Task<StatusUpdateResult> ExecuteAsync(string merchantId, string requestId, PaymentRequestStatus target, Actor actor,
        CancellationToken cancellationToken) =>
        ConditionalWrite.RetryAsync($"Request {requestId}", async _ =>
        {
            if (await requests.FindAsync(merchantId, requestId, cancellationToken) is not { } current)
            {
                return WriteAttempt.Done(new StatusUpdateResult(StatusUpdateOutcome.NotFound, null));
            }

            var request = current.Value;
            if (request.Status == target || !StatusTransitions.CanMove(request.Status, target))
            {
                await RepeatAsync(request, cancellationToken);
                return WriteAttempt.Done(new StatusUpdateResult(request.Status == target ? StatusUpdateOutcome.Unchanged : StatusUpdateOutcome.NotAllowed, request));
            }

            return await TryWriteAsync(current, r => r with { Status = target }, EventTypes.ForStatus(target), null, null, actor, cancellationToken) is { } updated
                ? WriteAttempt.Done(new StatusUpdateResult(StatusUpdateOutcome.Updated, updated))
                : WriteAttempt<StatusUpdateResult>.Conflict;
        });

    /// <summary>
    /// Records a resend of an open request: <c>payment_request.resent</c>, with the customer's contact as corrected (the
    /// request's index rows follow a changed mobile or email). Null when the request is gone or no longer open.
    /// </summary>
    public async Task<PaymentRequest?> ResendAsync(string merchantId, string requestId, Customer customer, Actor actor,
        CancellationToken cancellationToken)
    {
        var (before, after) = await ConditionalWrite.RetryAsync($"Request {requestId}", async _ =>
        {
            if (await requests.FindAsync(merchantId, requestId, cancellationToken) is not { } current || !StatusTransitions.IsOpen(current.Value.Status))
            {
                return WriteAttempt.Done<(PaymentRequest?, PaymentRequest?)>((null, null));
            }

            return await TryWriteAsync(current, r => r with { Content = r.Content with { Customer = customer }, Resends = r.Resends + 1 },
                    EventTypes.RequestResent, null, null, actor, cancellationToken) is { } updated
                ? WriteAttempt.Done<(PaymentRequest?, PaymentRequest?)>((current.Value, updated))
                : WriteAttempt<(PaymentRequest?, PaymentRequest?)>.Conflict;
        });
        if (before is not null && after is not null && before.Content.Customer != after.Content.Customer)
        {
            await requests.ReindexAsync(before, after, cancellationToken);
        }

        return after;
    }

    /// <summary>
    /// Erases the customer's personal data from the request: cancelled first if it could still be sent or paid, then
    /// <c>payment_request.erased</c> with the request as it then stands, then every copy of it
    /// (<see cref="IPaymentRequestStore.EraseCopiesAsync"/>). Null when there is no such request. Safe to repeat: a
    /// request erased before has its copies erased again, from its claim's copy if that still holds the data.
    /// </summary>
    public async Task<PaymentRequest?> EraseAsync(string merchantId, string requestId, Actor actor, CancellationToken cancellationToken)
    {
        if (await requests.FindAsync(merchantId, requestId, cancellationToken) is not { } read)
        {
            return null;
        }

        if (StatusTransitions.IsOpen(read.Value.Status))
        {
            await ExecuteAsync(merchantId, requestId, PaymentRequestStatus.Cancelled, actor, cancellationToken);
        }

        var (original, erased) = await ConditionalWrite.RetryAsync($"Request {requestId}", async _ =>
        {
            var current = (await requests.FindAsync(merchantId, requestId, cancellationToken))!;
            if (current.Value.ErasedAt is not null)
            {
                var claim = await requests.FindClaimAsync(merchantId, current.Value.ClientTransactionRef, cancellationToken);
                var before = claim?.Request is { ErasedAt: null } held && held.RequestId == requestId ? current.Value with { Content = held.Content } : current.Value;
                return WriteAttempt.Done((before, current.Value));
            }

            return await TryWriteAsync(current, r => r.WithoutPersonalData(clock.GetUtcNow()), EventTypes.RequestErased, null, null, actor, cancellationToken)
                is { } updated
                ? WriteAttempt.Done((current.Value, updated))
                : WriteAttempt<(PaymentRequest, PaymentRequest)>.Conflict;
        });
        await requests.EraseCopiesAsync(original, erased, cancellationToken);
        return erased;
    }

    /// <summary>
    /// A change with an event on the request as it stands, read again whenever it has moved on. A delivery record
    /// given with it is written at its version or not at all: when the request had not moved, the record had.
    /// </summary>
    /// <exception cref="DeliveryChangedException">The delivery record moved on.</exception>
    private Task<(PaymentRequest Request, string Type)> ChangeAsync(Versioned<PaymentRequest> read, Versioned<DeliveryRecord>? delivery,
        Func<PaymentRequest, PaymentRequestStatus> status, Func<PaymentRequest, string> type, Payment? payment, Actor actor,
        CancellationToken cancellationToken)
    {
        var current = read;
        return ConditionalWrite.RetryAsync($"Request {read.Value.RequestId}", async attempt =>
        {
            if (attempt > 1)
            {
                var again = await requests.FindAsync(current.Value.MerchantId, current.Value.RequestId, cancellationToken)
                            ?? throw new InvalidOperationException($"Request {current.Value.RequestId} is gone.");
                if (again.Version == current.Version)
                {
                    throw new DeliveryChangedException(delivery?.Value.SendId ?? "");
                }

                current = again;
            }

            var eventType = type(current.Value);
            var next = status(current.Value);
            return await TryWriteAsync(current, r => r with { Status = next }, eventType, delivery, payment, actor, cancellationToken) is { } updated
                ? WriteAttempt.Done((updated, eventType))
                : WriteAttempt<(PaymentRequest, string)>.Conflict;
        });
    }

    /// <summary>
    /// Replaces the request, still at the version read, with its change and the change's event (with the delivery
    /// record, when given, in the same transaction), then publishes it; null when either has moved on.
    /// </summary>
    private async Task<PaymentRequest?> TryWriteAsync(Versioned<PaymentRequest> current, Func<PaymentRequest, PaymentRequest> change, string type,
        Versioned<DeliveryRecord>? delivery, Payment? payment, Actor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var updated = change(current.Value) with { UpdatedAt = now, EventCount = current.Value.EventCount + 1 };
        var made = new DomainEvent(updated.MerchantId, updated.RequestId, updated.EventCount, type, now,
            new EventData(Request: updated, Delivery: delivery?.Value, Payment: payment)) { Actor = actor };
        if (!await requests.TryReplaceAsync(current, updated, delivery, made, cancellationToken))
        {
            return null;
        }

        await changes.PublishAsync(new Change(updated.MerchantId, updated.RequestId, [made], updated), cancellationToken);
        return updated;
    }
}
