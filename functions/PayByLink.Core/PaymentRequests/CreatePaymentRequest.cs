using PayByLink.Core.Batches;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.Limits;
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

    /// <summary>
    /// An identical create holds the reference and has not finished: it is still running, or stopped part way and
    /// will be finished by the schedule's check. The caller may repeat after <see cref="CreateResult.RetryAfter"/>.
    /// </summary>
    InProgress,

    Invalid,

    /// <summary>A new request would pass one of the merchant's daily message caps (<see cref="CreateResult.Cap"/>); nothing was made.</summary>
    DailyCapReached,
}

public sealed record CreateResult(CreateOutcome Outcome, PaymentRequest? Request, IReadOnlyList<FieldError> Errors, TimeSpan? RetryAfter = null)
{
    /// <summary>A batch line's first sends, which its chunk worker publishes with the rest of its group's.</summary>
    public IReadOnlyList<SendMessage> Sends { get; init; } = [];

    /// <summary>The cap a refused create would have passed.</summary>
    public CapReached? Cap { get; init; }
}

/// <summary>Creates a payment request (or plan) and queues its first sends: the one way a request comes to be.</summary>
public sealed class CreatePaymentRequest(
    IPaymentRequestStore requests,
    IPaymentLinkStore links,
    ISendMessagePublisher publisher,
    IScheduleStore schedule,
    ChangePublisher changes,
    DailyMessageCap cap,
    ITokenSource tokens,
    TimeProvider clock)
{
    /// <summary>
    /// How long an unfinished create is left to its own caller. After that a repeat finishes it, and so does the
    /// schedule's check, which falls due then: no create stays unfinished for long, whatever its client does.
    /// </summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromSeconds(30);

    /// <summary>How long a repeat waits for an identical create that is under way before answering in-progress.</summary>
    public static readonly TimeSpan WaitForOtherCreate = TimeSpan.FromSeconds(2);

    public const string FinishCreatePurpose = "create";

    public async Task<CreateResult> ExecuteAsync(Merchant merchant, PaymentRequestInput input, Actor createdBy, CancellationToken cancellationToken)
    {
        var validation = PaymentRequestRules.Validate(input, merchant, clock.GetUtcNow());
        if (validation.Value is not { } content)
        {
            return new CreateResult(CreateOutcome.Invalid, null, validation.Errors);
        }

        // A repeat of a request already made is answered as before, whatever today's count.
        var messages = DailyMessageCap.Messages(content.Channels);
        if (await cap.CheckAsync(merchant, messages, cancellationToken) is { } reached &&
            await requests.FindClaimAsync(merchant.Id, content.ClientTransactionRef, cancellationToken) is null)
        {
            return new CreateResult(CreateOutcome.DailyCapReached, null, []) { Cap = reached };
        }

        var result = await CreateAsync(merchant, content, null, createdBy, cancellationToken);
        if (result.Outcome == CreateOutcome.Created)
        {
            await cap.CountAsync(merchant, messages, cancellationToken);
        }

        return result;
    }

    /// <summary>What is wrong with <paramref name="input"/> by the rules of a create, without creating anything.</summary>
    public IReadOnlyList<FieldError> Check(Merchant merchant, PaymentRequestInput input) =>
        PaymentRequestRules.Validate(input, merchant, clock.GetUtcNow()).Errors;

    /// <summary>Creates a request from content <see cref="PaymentRequestRules"/> has validated; a batch line says where it came from.</summary>
    public async Task<CreateResult> CreateAsync(Merchant merchant, PaymentRequestContent content, BatchLineRef? origin, Actor createdBy,
        CancellationToken cancellationToken)
    {
        using var activity = PayByLinkTelemetry.Source.StartActivity("create payment request");
        var now = clock.GetUtcNow();
        var code = tokens.NewShortCode();
        var request = new PaymentRequest(merchant.Id, tokens.NewRequestId(), content, PaymentRequestStatus.Pending,
            code, tokens.NewPaymentToken(code), now, now, origin) { EventCount = 1, CreatedBy = createdBy };
        activity?.SetTag("paybylink.merchant", merchant.Id);
        activity?.SetTag("paybylink.request", request.RequestId);

        // The link is written first, so a saved request always has a working link; a link left behind by a
        // retry that turns out to be a duplicate points at no request and answers like an unknown code.
        request = await AddLinkAsync(request, cancellationToken);
        if (origin is null)
        {
            // Before the claim, so a create that stops at any point after it is finished by the schedule. A batch
            // line needs none: its batch's processor finishes its lines when it resumes.
            await schedule.AddAsync(FinishCheck(request), cancellationToken);
        }

        var claim = await requests.TryClaimReferenceAsync(request, now, cancellationToken);
        if (claim is null)
        {
            var sends = await CompleteClaimedAsync(merchant, request, now, cancellationToken);
            PayByLinkTelemetry.RequestsCreated.Add(1, new KeyValuePair<string, object?>("source", origin is null ? "api" : "batch"));
            return new CreateResult(CreateOutcome.Created, request, []) { Sends = sends };
        }

        var existing = claim.Request;
        if (existing.Content.Fingerprint != content.Fingerprint)
        {
            return new CreateResult(CreateOutcome.Conflict, existing, []);
        }

        if (existing.Batch is not null)
        {
            // A batch line's create has no check: the line written with its chunk's tally says it finished, and its
            // chunk's worker finishes it if it stopped part way.
            if (origin is not null && BatchLineOutcomes.IsOwnRequest(origin, existing))
            {
                var (own, ownSaved) = await AsItStandsAsync(existing, cancellationToken);
                return new CreateResult(CreateOutcome.AlreadyExists, own, []) { Sends = await CompleteAsync(merchant, own, ownSaved, now, cancellationToken) };
            }

            var (lines, linesSaved) = await AsItStandsAsync(existing, cancellationToken);
            return linesSaved || origin is not null
                ? new CreateResult(CreateOutcome.AlreadyExists, lines, [])
                : new CreateResult(CreateOutcome.InProgress, null, [], TimeSpan.FromSeconds(1));
        }

        var finished = await IsFinishedAsync(existing, cancellationToken);
        if (!finished && origin is null && now - claim.ClaimedAt <= AbandonedAfter)
        {
            // The create holding the reference may still be running: give it a moment to finish, then tell the
            // caller when to repeat rather than answer with a request that may not be saved yet.
            finished = await WaitUntilFinishedAsync(existing, cancellationToken);
            if (!finished)
            {
                var wait = AbandonedAfter - (clock.GetUtcNow() - claim.ClaimedAt);
                return new CreateResult(CreateOutcome.InProgress, null, [], wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1));
            }
        }

        var (current, saved) = await AsItStandsAsync(existing, cancellationToken);
        if (!finished)
        {
            // The create that claimed this reference stopped part way (it is older than AbandonedAfter): finish it from
            // the request as it now stands (a status it reached is kept). Repeating its writes and publishes is safe,
            // and senders send each send id once.
            await CompleteAsync(merchant, current, saved, now, cancellationToken);
        }

        return new CreateResult(CreateOutcome.AlreadyExists, current, []);
    }

    /// <summary>
    /// The schedule's check on a create, added before its claim and removed when it has finished: while it is there,
    /// the create has not finished (an API create; a batch line's written line says it has).
    /// </summary>
    public static ScheduledEvent FinishCheck(PaymentRequest request) => new(request.MerchantId, request.RequestId, FinishCreatePurpose,
        ScheduledAction.FinishCreate, request.CreatedAt + AbandonedAfter, request.ClientTransactionRef);

    /// <summary>
    /// The schedule's check on a create, fallen due: when the create has still not finished, it stopped part way, and
    /// is finished here from the request as it stands (or as claimed, if it was never saved), which removes the check.
    /// </summary>
    /// <returns>Whether the check is gone: the create had finished, or has now. False when the reference has no claim
    /// (the create stopped before it), and the check is left to its caller.</returns>
    public async Task<bool> FinishAsync(Merchant merchant, string clientTransactionRef, CancellationToken cancellationToken)
    {
        if (await requests.FindClaimAsync(merchant.Id, clientTransactionRef, cancellationToken) is not { } claim)
        {
            return false;
        }

        if (await IsFinishedAsync(claim.Request, cancellationToken))
        {
            return true;
        }

        var (current, saved) = await AsItStandsAsync(claim.Request, cancellationToken);
        await CompleteAsync(merchant, current, saved, clock.GetUtcNow(), cancellationToken);
        PayByLinkTelemetry.RequestsCreated.Add(1, new KeyValuePair<string, object?>("source", "finished"));
        return true;
    }

    /// <summary>A claimed request as it now stands (a status it reached is kept), or as claimed if it was never saved.</summary>
    private async Task<(PaymentRequest Request, bool Saved)> AsItStandsAsync(PaymentRequest claimed, CancellationToken cancellationToken) =>
        (await requests.FindAsync(claimed.MerchantId, claimed.RequestId, cancellationToken))?.Value is { } saved ? (saved, true) : (claimed, false);

    private async Task<bool> IsFinishedAsync(PaymentRequest claimed, CancellationToken cancellationToken) =>
        !await schedule.ContainsAsync(FinishCheck(claimed), cancellationToken);

    private async Task<bool> WaitUntilFinishedAsync(PaymentRequest claimed, CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromMilliseconds(100);
        for (var waited = TimeSpan.Zero; waited < WaitForOtherCreate; waited += poll)
        {
            await Task.Delay(poll, clock, cancellationToken);
            if (await IsFinishedAsync(claimed, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How long a create whose claim is written waits before finishing again after storage stopped answering.</summary>
    public static readonly TimeSpan FinishAgainAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Finishes a create whose claim it has just written. Where storage stops answering part way and the call's
    /// <see cref="CallDeadline"/> leaves time, it finishes again from the request as it then stands, so that its caller
    /// learns the outcome rather than an outage; without the time (or a deadline) the outage is the caller's answer,
    /// and the schedule's check finishes the create.
    /// </summary>
    private async Task<IReadOnlyList<SendMessage>> CompleteClaimedAsync(Merchant merchant, PaymentRequest request, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var (current, saved) = attempt == 0 ? (request, false) : await AsItStandsAsync(request, cancellationToken);
                return await CompleteAsync(merchant, current, saved, now, cancellationToken);
            }
            catch (StorageUnavailableException) when (CallDeadline.Remaining > 2 * FinishAgainAfter)
            {
                await Task.Delay(FinishAgainAfter, clock, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Saves the request (its row is the record of its created event), tells the consumers of changes, schedules
    /// its first event, publishes its sends and removes the create's check; a batch line's sends are returned instead,
    /// for its chunk worker to publish with its group's, and its written line says it finished.
    /// </summary>
    private async Task<IReadOnlyList<SendMessage>> CompleteAsync(Merchant merchant, PaymentRequest request, bool saved, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await requests.SaveAsync(request, cancellationToken);
        await changes.PublishAsync(new Change(request.MerchantId, request.RequestId, saved ? [] : [RequestCreated.Event(request)]), cancellationToken);
        var first = RequestSchedule.Next(request, merchant.Zone(), null);
        var sends = InitialSends(request, now);
        if (request.Batch is not null)
        {
            if (first is not null)
            {
                await schedule.AddAsync(first, cancellationToken);
            }

            return sends;
        }

        await Task.WhenAll(
            first is null ? Task.CompletedTask : schedule.AddAsync(first, cancellationToken),
            publisher.PublishAsync(sends, cancellationToken));
        await schedule.RemoveAsync(FinishCheck(request), cancellationToken);
        return [];
    }

    /// <summary>Adds the request's link; 62^10 codes make a taken one vanishingly rare, and a fresh code settles one.</summary>
    private Task<PaymentRequest> AddLinkAsync(PaymentRequest request, CancellationToken cancellationToken) =>
        ConditionalWrite.RetryAsync($"The short code of request {request.RequestId}", async attempt =>
        {
            if (attempt > 1)
            {
                var code = tokens.NewShortCode();
                request = request with { ShortCode = code, PaymentToken = tokens.NewPaymentToken(code) };
            }

            var link = new PaymentLink(request.ShortCode, request.PaymentToken, request.MerchantId, request.RequestId);
            return await links.TryAddAsync(link, cancellationToken) ? WriteAttempt.Done(request) : WriteAttempt<PaymentRequest>.Conflict;
        });

    public static IReadOnlyList<SendMessage> InitialSends(PaymentRequest request, DateTimeOffset now) =>
        request.Content.Channels.Select(c => SendMessage.For(request, c, SendMessage.InitialPurpose, now) with { Bulk = request.Batch is not null }).ToList();
}
