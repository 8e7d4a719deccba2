using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Telemetry;

namespace PayByLink.Core.Ports;

/// <summary>
/// Payment requests of each merchant, kept apart by merchant, with the indexes their list filters use.
/// A create claims the merchant's client transaction reference, then saves the request (the schedule's check on the
/// create, <see cref="CreatePaymentRequest.FinishCheck"/>, says whether it finished).
/// </summary>
public interface IPaymentRequestStore
{
    /// <summary>Claims the reference for this request; returns the existing claim when the reference is taken.</summary>
    Task<ReferenceClaim?> TryClaimReferenceAsync(PaymentRequest request, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The claim on a reference, or null when no create has claimed it.</summary>
    Task<ReferenceClaim?> FindClaimAsync(string merchantId, string clientTransactionRef, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the request, unless it is there already (a request that exists is never overwritten: its status may have
    /// moved on since it was read), and writes its index entries. Safe to repeat.
    /// </summary>
    Task SaveAsync(PaymentRequest request, CancellationToken cancellationToken);

    Task<Versioned<PaymentRequest>?> FindAsync(string merchantId, string requestId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the request if it is still at <paramref name="current"/>'s version, and with it, in the same
    /// transaction, adds the change's event and replaces the delivery record that made the change (when given) if
    /// that is still at its version; false, with nothing written, when either has moved on.
    /// </summary>
    Task<bool> TryReplaceAsync(Versioned<PaymentRequest> current, PaymentRequest replacement, Versioned<DeliveryRecord>? delivery,
        DomainEvent change, CancellationToken cancellationToken);

    Task<PaymentRequestPage> ListAsync(string merchantId, PaymentRequestFilter filter, int pageSize, string? continuationToken,
        CancellationToken cancellationToken);
}

/// <summary>A client transaction reference already taken: by which request, and when.</summary>
public sealed record ReferenceClaim(PaymentRequest Request, DateTimeOffset ClaimedAt);

/// <summary>Short codes and payment tokens, looked up without knowing the merchant.</summary>
public interface IPaymentLinkStore
{
    /// <summary>Adds the link; false when the short code is already taken.</summary>
    Task<bool> TryAddAsync(PaymentLink link, CancellationToken cancellationToken);

    Task<PaymentLink?> FindByCodeAsync(string shortCode, CancellationToken cancellationToken);

    Task<PaymentLink?> FindByTokenAsync(string paymentToken, CancellationToken cancellationToken);
}

public sealed record PaymentLink(string ShortCode, string PaymentToken, string MerchantId, string RequestId);

/// <summary>Puts send messages on the queue of their channel.</summary>
public interface ISendMessagePublisher
{
    Task PublishAsync(IReadOnlyList<SendMessage> messages, CancellationToken cancellationToken);

    /// <summary>
    /// About how many published messages the senders have yet to take off the queues; null where the broker is
    /// not asked (Service Bus holds a backlog at the same cost per message).
    /// </summary>
    Task<long?> CountWaitingAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One send of one request on one channel. <see cref="SendId"/> is deterministic, so a duplicate publish or
/// a redelivery is recognised as the same send. <see cref="TraceParent"/> is the trace that published it.
/// </summary>
public sealed record SendMessage(string SendId, string MerchantId, string RequestId, Channel Channel, string Purpose, DateTimeOffset CreatedAt,
    string? TraceParent = null)
{
    public const string InitialPurpose = "initial";

    /// <summary>
    /// A batch line's first send: it goes on the channel's bulk queue, so a file of thousands never stands in front of
    /// a single link, and (on Service Bus) in its merchant's session, so one merchant's file never stands in front of
    /// another's.
    /// </summary>
    public bool Bulk { get; init; }

    public static SendMessage For(PaymentRequest request, Channel channel, string purpose, DateTimeOffset now) =>
        new($"{request.RequestId}.{channel.Name()}.{purpose}", request.MerchantId, request.RequestId, channel, purpose, now,
            PayByLinkTelemetry.CurrentTraceParent);
}

/// <summary>The one source of ids, tokens and keys: all from a cryptographic random number generator.</summary>
public interface ITokenSource
{
    string NewRequestId();

    /// <summary>
    /// A payment-page token: its link's short code, so that one row finds both, then 33 base64url characters
    /// (198 random bits), <see cref="PaymentTokenLength"/> characters in all.
    /// </summary>
    string NewPaymentToken(string shortCode);

    const int PaymentTokenLength = 43;

    /// <summary>A short-link code: 10 base62 characters (about 59.5 random bits).</summary>
    string NewShortCode();

    /// <summary>A merchant subscription key: 256 random bits.</summary>
    string NewApiKey();

    /// <summary>A batch id that sorts newest first: the time counted down, then 80 random bits.</summary>
    string NewBatchId(DateTimeOffset now);

    /// <summary>A webhook endpoint id: <c>we_</c> and 100 random bits.</summary>
    string NewWebhookEndpointId();

    /// <summary>A webhook signing secret: <c>whsec_</c> and 256 random bits.</summary>
    string NewWebhookSecret();
}

public interface IMerchantStore
{
    Task<Merchant?> FindAsync(string merchantId, CancellationToken cancellationToken);

    /// <summary>Adds the merchant; false when the id is taken.</summary>
    Task<bool> TryAddAsync(Merchant merchant, CancellationToken cancellationToken);

    Task UpdateAsync(Merchant merchant, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> FindKeyAsync(string keyId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(string merchantId, CancellationToken cancellationToken);

    Task AddKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task RevokeKeyAsync(ApiKeyRecord key, DateTimeOffset revokedAt, CancellationToken cancellationToken);
}

/// <summary>A list continuation token that was altered, or used with other filters than the page it came from.</summary>
public sealed class InvalidContinuationTokenException() : Exception("The continuation token is not valid for this query.");
