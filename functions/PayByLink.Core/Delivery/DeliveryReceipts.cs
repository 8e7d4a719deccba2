using Microsoft.Extensions.Logging;
using PayByLink.Core.Domain;
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
    SendLifecycle sends,
    ILogger<DeliveryReceipts> logger)
{
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

        // Each attempt reads the send as it stands; one that finds it moved on (its sender recorded it, or another
        // report came) reads it again.
        await ConditionalWrite.RetryAsync($"Send {send.SendId}", async _ =>
        {
            if (await deliveries.FindAsync(send.MerchantId, send.RequestId, send.SendId, cancellationToken) is not { } found ||
                await requests.FindAsync(send.MerchantId, send.RequestId, cancellationToken) is not { } request)
            {
                LogUnknown(report.Channel, report.Reference);
                return WriteAttempt.Done(true);
            }

            switch (SendLifecycle.OnReceipt(found.Value, report.Receipt))
            {
                case ReceiptStep.Repeat:
                    await sends.RepeatReceiptAsync(found.Value, cancellationToken);
                    return WriteAttempt.Done(true);
                case ReceiptStep.Ignore:
                    return WriteAttempt.Done(true);
                case ReceiptStep.RecordSentFirst:
                    // Written or not (another writer got there first), the record is read again for the receipt.
                    await sends.TryRecordSentAsync(request, found, null, report.Receipt.At, cancellationToken);
                    return WriteAttempt<bool>.Conflict;
                default:
                    if (!await sends.TryRecordReceiptAsync(request, found, report.Receipt, cancellationToken))
                    {
                        return WriteAttempt<bool>.Conflict;
                    }

                    LogRecorded(send.SendId, report.Receipt.Delivered ? DeliveryStatus.Delivered : DeliveryStatus.Undeliverable, report.Receipt.CarrierStatus);
                    return WriteAttempt.Done(true);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Channel} delivery report names no send of ours ({Reference}); ignored")]
    private partial void LogUnknown(Channel channel, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Send {SendId} is {Status} ({CarrierStatus})")]
    private partial void LogRecorded(string sendId, DeliveryStatus status, string carrierStatus);
}
