using Microsoft.Extensions.Logging;
using PayByLink.Core.Domain;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Delivery;

/// <summary>A carrier's delivery report: the send it names (an SMS tag or an email operation id) and what it says.</summary>
public sealed record CarrierReport(Channel Channel, string Reference, DeliveryReceipt Receipt);

/// <summary>
/// Records carriers' delivery reports on their sends: a send becomes Delivered or Undeliverable, with the carrier's
/// words and time, and a <c>.delivered</c> or <c>.undeliverable</c> event. Repeated, late and out-of-order reports
/// change nothing more: Delivered is never taken back, and a second report of the same outcome is a repeat. A report
/// on a send whose sender stopped before recording it (the provider had taken it) records the send first.
/// </summary>
public sealed partial class DeliveryReceipts(
    IDeliveryStore deliveries,
    IDeliveryReferences references,
    IPaymentRequestStore requests,
    PaymentRequestChanges statuses,
    ILogger<DeliveryReceipts> logger)
{
    private const int MaxAttempts = 10;

    public async Task RecordAsync(CarrierReport report, CancellationToken cancellationToken)
    {
        var send = report.Channel == Channel.Sms
            ? CarrierReferences.ParseSmsTag(report.Reference)
            : await references.FindAsync(report.Reference, cancellationToken);
        if (send is null)
        {
            LogUnknown(report.Channel, report.Reference);
            return;
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await deliveries.FindAsync(send.MerchantId, send.RequestId, send.SendId, cancellationToken) is not { } found ||
                await requests.FindAsync(send.MerchantId, send.RequestId, cancellationToken) is not { } request)
            {
                LogUnknown(report.Channel, report.Reference);
                return;
            }

            var record = found.Value;
            var receipt = report.Receipt;
            if (record.Status == DeliveryStatus.Delivered || (record.Status == DeliveryStatus.Undeliverable && !receipt.Delivered))
            {
                await statuses.RepeatReceiptAsync(record, cancellationToken);
                return;
            }

            if (record.Status == DeliveryStatus.Skipped)
            {
                return;
            }

            try
            {
                if (record.Status is DeliveryStatus.Sending or DeliveryStatus.Retrying)
                {
                    // The provider took it, and its sender has not said so (it stopped, or is about to): record the send.
                    var sent = record with { Status = DeliveryStatus.Sent, ErrorCode = null, ErrorReason = null, UpdatedAt = receipt.At };
                    if (record.Purpose == SendMessage.InitialPurpose)
                    {
                        await statuses.RecordSentAsync(request, new Versioned<DeliveryRecord>(sent, found.Version), cancellationToken);
                    }
                    else
                    {
                        // Written or not (another writer got there first), the record is read again for the receipt.
                        await deliveries.TrySaveAsync(sent, found.Version, cancellationToken);
                    }

                    continue;
                }

                var received = record with
                {
                    Status = receipt.Delivered ? DeliveryStatus.Delivered : DeliveryStatus.Undeliverable,
                    Receipt = receipt,
                };
                await statuses.RecordReceiptAsync(request, new Versioned<DeliveryRecord>(received, found.Version), cancellationToken);
                LogRecorded(send.SendId, received.Status, receipt.CarrierStatus);
                return;
            }
            catch (InvalidOperationException)
            {
                // The record moved on meanwhile (its sender recorded it, or another report came): read it again.
            }
        }

        throw new InvalidOperationException($"Send {send.SendId} kept changing; its delivery report was not recorded.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Channel} delivery report names no send of ours ({Reference}); ignored")]
    private partial void LogUnknown(Channel channel, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Send {SendId} is {Status} ({CarrierStatus})")]
    private partial void LogRecorded(string sendId, DeliveryStatus status, string carrierStatus);
}
