using System.Text.Json;
using Microsoft.Extensions.Logging;
using PayByLink.Core.Ports;
using PayByLink.Core.Telemetry;

namespace PayByLink.Core.Delivery;

/// <summary>
/// The one policy for a received send message, whatever queue it came from: deliver it, then complete it, retry it
/// later, or dead-letter it. A delivery that throws is retried after the policy's backoff; on the last attempt the
/// send's record says failed and the message is dead-lettered. An unreadable message is dead-lettered at once. When
/// settling itself fails, the exception is the host's: the message comes back when its lock or visibility ends.
/// </summary>
public sealed partial class ReceiveSendMessage(
    DeliverSend deliver,
    SendLifecycle sends,
    IPaymentRequestStore requests,
    RetryPolicy retries,
    TimeProvider clock,
    OutageLog outages,
    ILogger<ReceiveSendMessage> logger)
{
    public async Task ExecuteAsync(string body, string messageId, int attempt, ISendSettlement settlement, CancellationToken cancellationToken)
    {
        SendMessage send;
        try
        {
            send = SendMessageJson.Deserialize(body);
        }
        catch (JsonException e)
        {
            LogUnreadable(messageId);
            await settlement.DeadLetterAsync("unreadable", e.Message, cancellationToken);
            return;
        }

        // The last attempt and the backoff are decided here, for a delivery's outcome and for its exception alike.
        var isLast = retries.IsLastAttempt(attempt);
        var (reason, description) = ("retries-exhausted", $"Send {send.SendId} failed {attempt} times.");
        DeliveryResult result;
        try
        {
            result = await deliver.ExecuteAsync(send, attempt, isLast, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (!outages.Counted("send not delivered", e))
            {
                LogDeliveryError(e, send.SendId, attempt);
            }

            result = DeliveryResult.Failed;
            if (isLast)
            {
                // The exception's type, not its text, which may repeat a recipient: the trace has the rest.
                await RecordDeadLetteredAsync(send, $"Undeliverable after {attempt} deliveries ({e.GetType().Name}).", cancellationToken);
                (result, reason, description) = (DeliveryResult.DeadLettered, "undeliverable", e.GetType().Name);
            }
        }

        if (result.DeadLetter)
        {
            await settlement.DeadLetterAsync(reason, description, cancellationToken);
        }
        else if (result.Finished)
        {
            await settlement.CompleteAsync(cancellationToken);
        }
        else
        {
            var delay = result.BackOff ? retries.Backoff(attempt) : result.RetryAfter;
            await settlement.RetryAsync(send, result.Throttled ? attempt : attempt + 1, delay, result.Throttled, cancellationToken);
        }
    }

    /// <summary>Records a message that could not be delivered within its delivery limit (dead-lettered).</summary>
    public async Task RecordDeadLetteredAsync(SendMessage message, string reason, CancellationToken cancellationToken)
    {
        var existing = await sends.FindAsync(message, cancellationToken);
        var request = await requests.FindAsync(message.MerchantId, message.RequestId, cancellationToken);
        if (existing?.Value is { IsFinal: true } final)
        {
            // Recorded, but what follows the record failed on every delivery (the consumers of its change, say): it
            // is done here, or this throws and the message is kept, so no batch line waits for good on a lost count.
            await sends.FinishRecordedAsync(final, request?.Value, cancellationToken);
            return;
        }

        var record = (existing?.Value ?? SendLifecycle.New(message, null, clock.GetUtcNow())) with { ErrorCode = "dead_lettered", ErrorReason = reason };
        if (request is null)
        {
            await sends.RecordOrphanAsync(record, existing?.Version, cancellationToken);
            return;
        }

        await sends.RecordFailedAsync(request, record, existing?.Version, cancellationToken);
        LogDeadLettered(message.SendId, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send {SendId} failed for good: {Reason}")]
    private partial void LogDeadLettered(string sendId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} is not a send message; dead-lettered")]
    private partial void LogUnreadable(string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering send {SendId} failed on delivery {Attempt}")]
    private partial void LogDeliveryError(Exception exception, string sendId, int attempt);
}
