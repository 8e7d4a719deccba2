using Microsoft.Extensions.Logging;
using PayByLink.Core.Batches;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Events;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Erasure;

/// <summary>
/// Honours a person's request to have their data erased (UK GDPR article 17) for one merchant: every request of the
/// merchant's to that mobile number or email is cancelled if still open and has the person's data removed from its
/// row, events, sends, claim and indexes (<see cref="PaymentRequestChanges.EraseAsync"/>); the merchant's opt-out for
/// them keeps only its keyed hash, so they are still never sent to; and the batch lines that held them are forgotten.
/// Safe to repeat: a second call finds nothing left to erase. Logged with counts alone.
/// </summary>
public sealed partial class ErasePerson(IPaymentRequestStore requests, PaymentRequestChanges changes, IOptOutStore optOuts, IBatchLedger ledger,
    TimeProvider clock, ILogger<ErasePerson> logger)
{
    private const int PageSize = 100;

    public async Task<ValidationResult<ErasureResult>> EraseAsync(Merchant merchant, ErasureInput input, Actor actor, CancellationToken cancellationToken)
    {
        var parsed = OptOuts.Parse(merchant, input.MobileNumber, input.Email);
        if (!parsed.IsValid)
        {
            return ValidationResult<ErasureResult>.Invalid(parsed.Errors);
        }

        var (channel, recipient) = (parsed.Value!.Channel, parsed.Value.Recipient);
        var filter = channel == Channel.Sms ? new PaymentRequestFilter { MobileNumber = recipient } : new PaymentRequestFilter { Email = recipient };

        // Every request first: erasing one removes the index rows being read.
        var found = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await requests.ListAsync(merchant.Id, filter, PageSize, token, cancellationToken);
            found.UnionWith(page.Items.Select(i => i.RequestId));
            token = page.ContinuationToken;
        }
        while (token is not null);

        var lines = new List<BatchLineRef>();
        foreach (var requestId in found)
        {
            if (await changes.EraseAsync(merchant.Id, requestId, actor, cancellationToken) is { Batch: { } line })
            {
                lines.Add(line);
            }
        }

        var optOut = await optOuts.ForgetRecipientAsync(merchant.Id, channel, recipient, cancellationToken);
        var batchLines = await ledger.ForgetLinesAsync(merchant.Id, lines, raw => Holds(raw, merchant, channel, recipient), cancellationToken);
        var result = new ErasureResult(found.Count, optOut ? 1 : 0, batchLines, clock.GetUtcNow());
        LogErased(merchant.Id, channel, result.Requests, result.OptOuts, result.BatchLines);
        return ValidationResult<ErasureResult>.Valid(result);
    }

    /// <summary>Whether a record as uploaded holds the recipient in any of its fields, in any form the merchant's region reads.</summary>
    private static bool Holds(string raw, Merchant merchant, Channel channel, string recipient) =>
        new CsvRecordReader(new StringReader(raw)).Read() is { } record && record.Fields.Any(field => channel == Channel.Sms
            ? ContactDetails.TryNormaliseMobile(field, merchant.PhoneRegion, out var e164, out _) && e164 == recipient
            : ContactDetails.TryNormaliseEmail(field, out var email) && string.Equals(email, recipient, StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Erased a person's {Channel} data for merchant {MerchantId}: {Requests} requests, {OptOuts} opt-outs kept as a hash, {BatchLines} batch lines")]
    private partial void LogErased(string merchantId, Channel channel, int requests, int optOuts, int batchLines);
}
