using PayByLink.Core.Domain;
using PayByLink.Core.Telemetry;

namespace PayByLink.Core.Ports;

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
