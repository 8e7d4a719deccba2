using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;
using PayByLink.Core.Scheduling;
using PayByLink.Core.Telemetry;

namespace PayByLink.Core.PaymentRequests;

public enum CreateOutcome
{
    /// <summary>A new request was stored and its send messages published.</summary>
    Created,

    /// <summary>An identical request with the same reference already existed; nothing new was sent.</summary>
    AlreadyExists,

    /// <summary>The reference is taken by a request with different content.</summary>
    Conflict,

    Invalid,
}

public sealed record CreateResult(CreateOutcome Outcome, PaymentRequest? Request, IReadOnlyList<FieldError> Errors);

/// <summary>Creates a payment request (or plan) and queues its first sends: the one way a request comes to be.</summary>
public sealed class CreatePaymentRequest(
    IPaymentRequestStore requests,
    IPaymentLinkStore links,
    ISendMessagePublisher publisher,
    IScheduleStore schedule,
    ITokenSource tokens,
    TimeProvider clock)
{
    /// <summary>How long an unfinished create is left to its own caller before a retry finishes it.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromSeconds(30);

    public async Task<CreateResult> ExecuteAsync(Merchant merchant, PaymentRequestInput input, CancellationToken cancellationToken)
    {
        var validation = PaymentRequestRules.Validate(input, merchant, clock.GetUtcNow());
        return validation.Value is { } content
            ? await CreateAsync(merchant, content, null, cancellationToken)
            : new CreateResult(CreateOutcome.Invalid, null, validation.Errors);
    }

    /// <summary>Creates a request from content <see cref="PaymentRequestRules"/> has validated; a batch line says where it came from.</summary>
    public async Task<CreateResult> CreateAsync(Merchant merchant, PaymentRequestContent content, BatchLineRef? origin,
        CancellationToken cancellationToken)
    {
        using var activity = PayByLinkTelemetry.Source.StartActivity("create payment request");
        var now = clock.GetUtcNow();
        var request = new PaymentRequest(merchant.Id, tokens.NewRequestId(), content, PaymentRequestStatus.Pending,
            tokens.NewShortCode(), tokens.NewPaymentToken(), now, now, origin);
        activity?.SetTag("paybylink.merchant", merchant.Id);
        activity?.SetTag("paybylink.request", request.RequestId);

        // The link is written first, so a saved request always has a working link; a link left behind by a
        // retry that turns out to be a duplicate points at no request and answers like an unknown code.
        request = await AddLinkAsync(request, cancellationToken);
        var claim = await requests.TryClaimReferenceAsync(request, now, cancellationToken);
        if (claim is null)
        {
            await CompleteAsync(merchant, request, now, cancellationToken);
            PayByLinkTelemetry.RequestsCreated.Add(1, new KeyValuePair<string, object?>("source", origin is null ? "api" : "batch"));
            return new CreateResult(CreateOutcome.Created, request, []);
        }

        var existing = claim.Request;
        if (existing.Content.Fingerprint != content.Fingerprint)
        {
            return new CreateResult(CreateOutcome.Conflict, existing, []);
        }

        var current = (await requests.FindAsync(existing.MerchantId, existing.RequestId, cancellationToken))?.Value ?? existing;
        if (!claim.Committed && (now - claim.ClaimedAt > AbandonedAfter || (origin is not null && existing.Batch == origin)))
        {
            // The create that claimed this reference stopped part way: finish it from the request as it now
            // stands (a status it reached is kept). Repeating its writes and publishes is safe, and senders
            // send each send id once. A batch line seen again is finished at once: only the batch's one
            // processor reads that line, so its earlier create has stopped.
            await CompleteAsync(merchant, current, now, cancellationToken);
        }

        return new CreateResult(CreateOutcome.AlreadyExists, current, []);
    }

    private async Task CompleteAsync(Merchant merchant, PaymentRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await requests.SaveAsync(request, cancellationToken);
        var first = RequestSchedule.Next(request, merchant.Zone(), null);
        await Task.WhenAll(
            first is null ? Task.CompletedTask : schedule.AddAsync(first, cancellationToken),
            publisher.PublishAsync(InitialSends(request, now), cancellationToken));
        await requests.CommitReferenceAsync(request, cancellationToken);
    }

    private async Task<PaymentRequest> AddLinkAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        // 62^10 codes make a collision vanishingly rare; a fresh code settles one.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var link = new PaymentLink(request.ShortCode, request.PaymentToken, request.MerchantId, request.RequestId);
            if (await links.TryAddAsync(link, cancellationToken))
            {
                return request;
            }

            request = request with { ShortCode = tokens.NewShortCode() };
        }

        throw new InvalidOperationException("Could not allocate a unique short code.");
    }

    public static IReadOnlyList<SendMessage> InitialSends(PaymentRequest request, DateTimeOffset now) =>
        request.Content.Channels.Select(c => SendMessage.For(request, c, SendMessage.InitialPurpose, now)).ToList();
}
