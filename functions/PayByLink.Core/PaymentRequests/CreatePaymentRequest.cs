using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

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
    ITokenSource tokens,
    TimeProvider clock)
{
    public async Task<CreateResult> ExecuteAsync(Merchant merchant, PaymentRequestInput input, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var validation = PaymentRequestRules.Validate(input, merchant, now);
        if (validation.Value is not { } content)
        {
            return new CreateResult(CreateOutcome.Invalid, null, validation.Errors);
        }

        var request = new PaymentRequest(merchant.Id, tokens.NewRequestId(), content, PaymentRequestStatus.Pending,
            tokens.NewShortCode(), tokens.NewPaymentToken(), now, now);

        // The link is written first so a stored request always has a working link; a link left behind by a
        // retry that turns out to be a duplicate points at no request and answers like an unknown code.
        request = await AddLinkAsync(request, cancellationToken);
        var existing = await requests.AddAsync(request, cancellationToken);
        if (existing is not null)
        {
            return existing.Content.Fingerprint == content.Fingerprint
                ? new CreateResult(CreateOutcome.AlreadyExists, existing, [])
                : new CreateResult(CreateOutcome.Conflict, existing, []);
        }

        await publisher.PublishAsync(InitialSends(request, now), cancellationToken);
        return new CreateResult(CreateOutcome.Created, request, []);
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
