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

/// <summary>Moves a request to a new status if the transition table allows it, safe against concurrent writers.</summary>
public sealed class UpdatePaymentRequestStatus(IPaymentRequestStore requests, TimeProvider clock)
{
    private const int MaxAttempts = 10;

    public async Task<StatusUpdateResult> ExecuteAsync(string merchantId, string requestId, PaymentRequestStatus target,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await requests.FindAsync(merchantId, requestId, cancellationToken);
            if (current is null)
            {
                return new StatusUpdateResult(StatusUpdateOutcome.NotFound, null);
            }

            var request = current.Value;
            if (request.Status == target)
            {
                return new StatusUpdateResult(StatusUpdateOutcome.Unchanged, request);
            }

            if (!StatusTransitions.CanMove(request.Status, target))
            {
                return new StatusUpdateResult(StatusUpdateOutcome.NotAllowed, request);
            }

            var updated = request with { Status = target, UpdatedAt = clock.GetUtcNow() };
            if (await requests.TryReplaceAsync(current, updated, cancellationToken))
            {
                return new StatusUpdateResult(StatusUpdateOutcome.Updated, updated);
            }
        }

        throw new InvalidOperationException($"Request {requestId} kept changing; status update abandoned after {MaxAttempts} attempts.");
    }
}
