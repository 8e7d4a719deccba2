using System.Collections.Concurrent;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Batches;

/// <summary>
/// The senders' view of stopped batches: a request of a stopped batch still waiting for its first send is cancelled,
/// by whoever stopped the batch, instead of sent. A batch found stopped stays so; one found running is read again after
/// <see cref="ReadAgainAfter"/>, so a sender reads each batch at most that often, however many of its sends it takes.
/// </summary>
public sealed class BatchStops(IBatchStore batches, PaymentRequestChanges statuses, TimeProvider clock)
{
    public static readonly TimeSpan ReadAgainAfter = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<(string MerchantId, string BatchId), (Actor? StoppedBy, DateTimeOffset ReadAt)> _seen = new();

    /// <summary>Cancels the request if this is its first send and its batch was stopped; whether it did.</summary>
    public async Task<bool> CancelIfStoppedAsync(PaymentRequest request, SendMessage message, CancellationToken cancellationToken)
    {
        if (request is not { Status: PaymentRequestStatus.Pending, Batch: { } line } || message.Purpose != SendMessage.InitialPurpose || await StoppedByAsync(request.MerchantId, line.BatchId, cancellationToken) is not { } actor)
        {
            return false;
        }

        await statuses.ExecuteAsync(request.MerchantId, request.RequestId, PaymentRequestStatus.Cancelled, actor, cancellationToken);
        return true;
    }

    private async Task<Actor?> StoppedByAsync(string merchantId, string batchId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_seen.TryGetValue((merchantId, batchId), out var seen) && (seen.StoppedBy is not null || now - seen.ReadAt < ReadAgainAfter))
        {
            return seen.StoppedBy;
        }

        var batch = (await batches.FindAsync(merchantId, batchId, cancellationToken))?.Value;
        var stoppedBy = batch?.StoppedAt is null ? null : batch.StoppedBy ?? Actor.Administrator;
        _seen[(merchantId, batchId)] = (stoppedBy, now);
        return stoppedBy;
    }
}
