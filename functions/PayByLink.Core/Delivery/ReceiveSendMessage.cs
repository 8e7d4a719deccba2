using System.Text.Json;
using Microsoft.Extensions.Logging;
using PayByLink.Core.Ports;
using PayByLink.Core.Telemetry;

namespace PayByLink.Core.Delivery;

/// <summary>How a host's queue settles a send message it received: its transport, and nothing of the policy.</summary>
public interface ISendSettlement
{
    /// <summary>Takes the message off its queue: the send is done.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Brings the send back after <paramref name="delay"/>: as its next attempt, or as the same one when the provider's
    /// rate, not the send, was at fault (<paramref name="sameAttempt"/>).
    /// </summary>
    Task RetryAsync(SendMessage send, int attempt, TimeSpan delay, bool sameAttempt, CancellationToken cancellationToken);

    /// <summary>Moves the message aside for an operator (Service Bus's dead-letter queue, a Storage queue's poison queue).</summary>
    Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken);
}

/// <summary>
/// The one policy for a received send message, whatever queue it came from: deliver it, then complete it, retry it
/// later, or dead-letter it. A delivery that throws is retried after the policy's backoff; on the last attempt the
/// send's record says failed and the message is dead-lettered. An unreadable message is dead-lettered at once. When
/// settling itself fails, the exception is the host's: the message comes back when its lock or visibility ends.
/// </summary>
public sealed partial class ReceiveSendMessage(DeliverSend deliver, RetryPolicy retries, OutageLog outages, ILogger<ReceiveSendMessage> logger)
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

        var isLast = attempt >= retries.MaxDeliveryCount;
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

            if (isLast)
            {
                // The exception's type, not its text, which may repeat a recipient: the trace has the rest.
                await deliver.RecordDeadLetteredAsync(send, $"Undeliverable after {attempt} deliveries ({e.GetType().Name}).", cancellationToken);
                await settlement.DeadLetterAsync("undeliverable", e.GetType().Name, cancellationToken);
            }
            else
            {
                await settlement.RetryAsync(send, attempt + 1, retries.Backoff(attempt), sameAttempt: false, cancellationToken);
            }

            return;
        }

        if (result.DeadLetter)
        {
            await settlement.DeadLetterAsync("retries-exhausted", $"Send {send.SendId} failed {attempt} times.", cancellationToken);
        }
        else if (result.Finished)
        {
            await settlement.CompleteAsync(cancellationToken);
        }
        else
        {
            await settlement.RetryAsync(send, result.Throttled ? attempt : attempt + 1, result.RetryAfter, result.Throttled, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} is not a send message; dead-lettered")]
    private partial void LogUnreadable(string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering send {SendId} failed on delivery {Attempt}")]
    private partial void LogDeliveryError(Exception exception, string sendId, int attempt);
}
