using PayByLink.Core.Batches;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
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
/// Moves a request to a new status if the transition table allows it, safe against concurrent writers. When a
/// request from a batch line leaves Pending, the line's outcome is counted in its batch (once, however often
/// this runs).
/// </summary>
public sealed class UpdatePaymentRequestStatus(IPaymentRequestStore requests, IBatchStore batches, TimeProvider clock)
{
    private const int MaxAttempts = 10;

    public Task<StatusUpdateResult> ExecuteAsync(string merchantId, string requestId, PaymentRequestStatus target,
        CancellationToken cancellationToken) =>
        ExecuteAsync(merchantId, requestId, target, null, cancellationToken);

    /// <summary>The same, starting from a version of the request the caller has just read (read again if it has moved on).</summary>
    public Task<StatusUpdateResult> ExecuteAsync(Versioned<PaymentRequest> read, PaymentRequestStatus target, CancellationToken cancellationToken) =>
        ExecuteAsync(read.Value.MerchantId, read.Value.RequestId, target, read, cancellationToken);

    /// <summary>
    /// Moves a request just read to <paramref name="target"/> in one transaction with the delivery record that moves
    /// it. False, with nothing written, when the move is not due (the request already has the status, or may not
    /// take it) or when the request or the record has changed since it was read.
    /// </summary>
    public async Task<bool> TryExecuteAsync(Versioned<PaymentRequest> read, PaymentRequestStatus target, Versioned<DeliveryRecord> delivery,
        CancellationToken cancellationToken)
    {
        var request = read.Value;
        return request.Status != target && StatusTransitions.CanMove(request.Status, target) &&
               await TryMoveAsync(read, target, delivery, cancellationToken) is not null;
    }

    private async Task<StatusUpdateResult> ExecuteAsync(string merchantId, string requestId, PaymentRequestStatus target,
        Versioned<PaymentRequest>? read, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = attempt == 0 && read is not null ? read : await requests.FindAsync(merchantId, requestId, cancellationToken);
            if (current is null)
            {
                return new StatusUpdateResult(StatusUpdateOutcome.NotFound, null);
            }

            var request = current.Value;
            if (request.Status == target)
            {
                await CountBatchLineAsync(request, cancellationToken);
                return new StatusUpdateResult(StatusUpdateOutcome.Unchanged, request);
            }

            if (!StatusTransitions.CanMove(request.Status, target))
            {
                await CountBatchLineAsync(request, cancellationToken);
                return new StatusUpdateResult(StatusUpdateOutcome.NotAllowed, request);
            }

            if (await TryMoveAsync(current, target, null, cancellationToken) is { } updated)
            {
                return new StatusUpdateResult(StatusUpdateOutcome.Updated, updated);
            }
        }

        throw new InvalidOperationException($"Request {requestId} kept changing; status update abandoned after {MaxAttempts} attempts.");
    }

    /// <summary>
    /// Replaces the request, still at the version read, with its move to <paramref name="target"/> (with the delivery
    /// record, when given, in the same transaction) and counts its batch line; null when either has moved on.
    /// </summary>
    private async Task<PaymentRequest?> TryMoveAsync(Versioned<PaymentRequest> current, PaymentRequestStatus target,
        Versioned<DeliveryRecord>? delivery, CancellationToken cancellationToken)
    {
        var updated = current.Value with { Status = target, UpdatedAt = clock.GetUtcNow() };
        if (!await requests.TryReplaceAsync(current, updated, delivery, cancellationToken))
        {
            return null;
        }

        await CountBatchLineAsync(updated, cancellationToken);
        return updated;
    }

    /// <summary>Repeated on every call that finds the request past Pending, so an outcome a crash left uncounted is counted by the next.</summary>
    private Task CountBatchLineAsync(PaymentRequest request, CancellationToken cancellationToken) =>
        request.Batch is { } line && BatchLineOutcome.For(request) is { } outcome
            ? batches.RecordOutcomeAsync(request.MerchantId, line.BatchId, outcome, cancellationToken)
            : Task.CompletedTask;
}
