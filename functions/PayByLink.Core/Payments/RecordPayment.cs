using Microsoft.Extensions.Logging;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Payments;

public enum RecordPaymentOutcome
{
    /// <summary>Recorded; the request (or its plan) moved on.</summary>
    Recorded,

    /// <summary>Signed, but nothing to record: a decline, a replay, another event, a payment that was not due.</summary>
    Ignored,

    /// <summary>Unsigned, forged, stale, or for an unknown request: refused.</summary>
    Rejected,
}

/// <summary>
/// Takes a provider's callback: its signature and freshness checked by the gateway, the payment checked against the
/// amount due, recorded once (a replay changes nothing), and the request marked Paid, or for a plan the
/// instalment paid and the plan Paid with its last one. Everything refused is logged.
/// </summary>
public sealed partial class RecordPayment(
    IPaymentGateway gateway,
    IPaymentRequestStore requests,
    IPaymentStore payments,
    PaymentRequestChanges statuses,
    TimeProvider clock,
    ILogger<RecordPayment> logger)
{
    public async Task<RecordPaymentOutcome> ExecuteAsync(string provider, string body, Func<string, string?> header, CancellationToken cancellationToken)
    {
        if (provider != gateway.Name)
        {
            LogRejected(provider, "no such payment provider");
            return RecordPaymentOutcome.Rejected;
        }

        var callback = gateway.ReadCallback(body, header, clock.GetUtcNow());
        switch (callback.Verdict)
        {
            case CallbackVerdict.Rejected:
                LogRejected(provider, callback.Reason);
                return RecordPaymentOutcome.Rejected;
            case CallbackVerdict.Ignored:
                LogIgnored(provider, callback.Reason);
                return RecordPaymentOutcome.Ignored;
        }

        var confirmed = callback.Payment!;
        if (await requests.FindAsync(confirmed.MerchantId, confirmed.RequestId, cancellationToken) is not { } found)
        {
            LogRejected(provider, $"payment {confirmed.ProviderReference} names an unknown request");
            return RecordPaymentOutcome.Rejected;
        }

        var request = found.Value;
        var paid = await payments.ListAsync(request.MerchantId, request.RequestId, cancellationToken);
        var replayed = paid.FirstOrDefault(p => p.Provider == provider && p.ProviderReference == confirmed.ProviderReference);
        if (replayed is null)
        {
            var due = AmountDue.For(request, paid);
            if (due is null || due.Instalment != confirmed.Instalment || due.Amount != confirmed.Amount ||
                !string.Equals(due.Currency, confirmed.Currency, StringComparison.OrdinalIgnoreCase))
            {
                LogNotDue(confirmed.ProviderReference, request.RequestId, confirmed.Amount, confirmed.Currency, due?.Amount);
                return RecordPaymentOutcome.Ignored;
            }

            var payment = new Payment(request.MerchantId, request.RequestId, confirmed.Instalment, confirmed.Amount, due.Currency, provider,
                confirmed.ProviderReference, confirmed.PaidAt);
            switch (await payments.TryAddAsync(payment, cancellationToken))
            {
                case PaymentRecordOutcome.AlreadyPaid:
                    LogNotDue(confirmed.ProviderReference, request.RequestId, confirmed.Amount, confirmed.Currency, null);
                    return RecordPaymentOutcome.Ignored;
                case PaymentRecordOutcome.Added:
                    await RecordEventAsync(request, payment, [.. paid, payment], cancellationToken);
                    LogRecorded(confirmed.ProviderReference, request.RequestId, confirmed.Instalment);
                    return RecordPaymentOutcome.Recorded;
            }

            paid = await payments.ListAsync(request.MerchantId, request.RequestId, cancellationToken);
            replayed = paid.First(p => p.Provider == provider && p.ProviderReference == confirmed.ProviderReference);
        }

        // Recorded before, perhaps by a callback that stopped before its event: the event is recorded now if it is not.
        await RecordEventAsync(request, replayed, paid, cancellationToken);
        LogIgnored(provider, $"payment {confirmed.ProviderReference} was recorded before");
        return RecordPaymentOutcome.Ignored;
    }

    private async Task RecordEventAsync(PaymentRequest request, Payment payment, IReadOnlyList<Payment> paid, CancellationToken cancellationToken)
    {
        var type = await statuses.RecordPaymentAsync(request.MerchantId, request.RequestId, payment, AmountDue.For(request, paid) is null,
            cancellationToken);
        if (type == EventTypes.RequestPaymentRefused)
        {
            // The provider took the money after the request was cancelled or expired: it goes back through the provider
            // (once, however often the callback comes), and the refund is recorded as an event.
            LogPaidWhenClosed(payment.ProviderReference, request.RequestId, request.Status);
            var refund = await gateway.RefundAsync(payment, cancellationToken);
            await statuses.RecordRefundAsync(payment with { RefundReference = refund }, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment callback from {Provider} refused: {Reason}")]
    private partial void LogRejected(string provider, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment callback from {Provider} changes nothing: {Reason}")]
    private partial void LogIgnored(string provider, string? reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Payment {ProviderReference} of {Amount} {Currency} for {RequestId} was not due (due: {Due}); not recorded, refund it")]
    private partial void LogNotDue(string providerReference, string requestId, decimal amount, string currency, decimal? due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {ProviderReference} recorded for {RequestId}, which is {Status}: refunding it")]
    private partial void LogPaidWhenClosed(string providerReference, string requestId, PaymentRequestStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {ProviderReference} recorded for {RequestId} (instalment {Instalment})")]
    private partial void LogRecorded(string providerReference, string requestId, int? instalment);
}
