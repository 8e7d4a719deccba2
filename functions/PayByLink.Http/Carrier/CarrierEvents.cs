using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;
using Microsoft.Extensions.Configuration;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;

namespace PayByLink.Http.Carrier;

/// <summary>What a delivery of carrier events asked of the endpoint: nothing more, or the validation handshake's answer.</summary>
public sealed record CarrierEventsResult(string? ValidationCode, int Handled);

/// <summary>
/// Azure Communication Services events as Event Grid delivers them (Event Grid schema, or CloudEvents 1.0): SMS and
/// email delivery reports become receipts on their sends; inbound SMS go to the opt-outs (STOP, START); Event Grid's
/// subscription validation is answered. The local runtime's carrier posts the same JSON into the same code.
/// </summary>
public sealed class CarrierEvents(DeliveryReceipts receipts, OptOuts optOuts, IConfiguration configuration, TimeProvider clock)
{
    /// <summary>The shared secret Event Grid carries in the endpoint URL's <c>key</c> query parameter (<c>CarrierEvents__Key</c>).</summary>
    public const string KeySetting = "CarrierEvents:Key";

    public const string KeyParameter = "key";

    /// <summary>
    /// The key being rotated out (<c>CarrierEvents__PreviousKey</c>): while the Event Grid subscription moves to the new
    /// key, deliveries with either are taken. Unset it once the subscription carries the new key.
    /// </summary>
    public const string PreviousKeySetting = "CarrierEvents:PreviousKey";

    /// <summary>
    /// Whether <paramref name="key"/> is the configured key or the previous one (compared in constant time); false when
    /// none is set, and never for a Key Vault reference the platform left unresolved (its text is not a secret).
    /// </summary>
    public bool IsAuthorized(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(key);
        var matched = false;
        foreach (var expected in new[] { configuration[KeySetting], configuration[PreviousKeySetting] })
        {
            if (!string.IsNullOrEmpty(expected) && !expected.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
            {
                matched |= CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(expected));
            }
        }

        return matched;
    }

    /// <summary>Handles one delivery of events.</summary>
    /// <exception cref="FormatException">The body is not Event Grid or CloudEvents JSON.</exception>
    public async Task<CarrierEventsResult> HandleAsync(BinaryData body, CancellationToken cancellationToken)
    {
        var handled = 0;
        foreach (var (type, data) in Parse(body))
        {
            switch (data)
            {
                case SubscriptionValidationEventData validation:
                    return new CarrierEventsResult(validation.ValidationCode, handled);
                case AcsSmsDeliveryReportReceivedEventData sms:
                    await receipts.RecordAsync(new CarrierReport(Channel.Sms, sms.Tag ?? "", new DeliveryReceipt(
                        string.Equals(sms.DeliveryStatus, "Delivered", StringComparison.OrdinalIgnoreCase), sms.DeliveryStatus ?? "Unknown",
                        sms.DeliveryStatusDetails, sms.ReceivedTimestamp ?? clock.GetUtcNow())), cancellationToken);
                    break;
                case AcsEmailDeliveryReportReceivedEventData email:
                    var status = email.Status?.ToString() ?? "Unknown";
                    await receipts.RecordAsync(new CarrierReport(Channel.Email, email.MessageId ?? "", new DeliveryReceipt(
                        email.Status == AcsEmailDeliveryReportStatus.Delivered, status, email.DeliveryStatusDetails?.StatusMessage,
                        email.DeliveryAttemptTimestamp ?? clock.GetUtcNow())), cancellationToken);
                    break;
                case AcsSmsReceivedEventData inbound:
                    await optOuts.ReceiveAsync(new InboundSms(inbound.From ?? "", inbound.To ?? "", inbound.Message ?? "",
                        inbound.ReceivedTimestamp ?? clock.GetUtcNow()), cancellationToken);
                    break;
                default:
                    continue; // an event type this endpoint was not subscribed to: nothing to do
            }

            handled++;
        }

        return new CarrierEventsResult(null, handled);
    }

    /// <summary>Each event's type and its system event data (null for a type the library does not know).</summary>
    private static IEnumerable<(string Type, object? Data)> Parse(BinaryData body)
    {
        bool cloudEvents;
        try
        {
            using var document = JsonDocument.Parse(body);
            var first = document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().FirstOrDefault()
                : document.RootElement;
            cloudEvents = first.ValueKind == JsonValueKind.Object && first.TryGetProperty("specversion", out _);
        }
        catch (JsonException e)
        {
            throw new FormatException("The body is not JSON.", e);
        }

        try
        {
            return cloudEvents
                ? CloudEvent.ParseMany(body).Select(e => (e.Type, e.TryGetSystemEventData(out var data) ? data : null)).ToList()
                : EventGridEvent.ParseMany(body).Select(e => (e.EventType, e.TryGetSystemEventData(out var data) ? data : null)).ToList();
        }
        catch (Exception e) when (e is ArgumentException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException("The body is not an Event Grid or CloudEvents delivery.", e);
        }
    }
}
