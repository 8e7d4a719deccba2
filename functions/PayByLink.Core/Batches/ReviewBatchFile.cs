using System.Runtime.CompilerServices;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Limits;

namespace PayByLink.Core.Batches;

/// <summary>
/// Checks every line of a batch started for review, sending nothing: each record against the rules its chunk worker
/// will apply (<see cref="BatchRecordCheck"/>), each wanted message against the merchant's opt-out list, and the whole
/// file against the daily caps. The failing lines can be read again, in file order, for the download.
/// </summary>
public sealed class ReviewBatchFile(IBatchUploads uploads, OptOuts optOuts, SmsSenderNumber sms, DailyMessageCap cap, TimeProvider clock)
{
    /// <summary>Opt-out lookups made at once.</summary>
    private const int LookupsAtOnce = 32;

    public async Task<BatchReview> ExecuteAsync(Merchant merchant, Batch batch, BatchFileScan scan, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<(string Field, string Code), (string Message, int Count, List<int> Lines)>();
        var (failing, willSend, smsMessages, emailMessages, optedOutSms, optedOutEmail, heldBack) = (0, 0, 0, 0, 0, 0, 0);
        var pending = new List<PaymentRequestContent>(LookupsAtOnce);

        async Task LookUpAsync()
        {
            var held = await Task.WhenAll(pending.Select(c => HeldBackAsync(merchant.Id, c, cancellationToken)));
            foreach (var (content, channels) in pending.Zip(held))
            {
                var sending = content.Channels.Except(channels).ToList();
                optedOutSms += channels.Contains(Channel.Sms) ? 1 : 0;
                optedOutEmail += channels.Contains(Channel.Email) ? 1 : 0;
                smsMessages += sending.Contains(Channel.Sms) ? 1 : 0;
                emailMessages += sending.Contains(Channel.Email) ? 1 : 0;
                if (sending.Count == 0)
                {
                    heldBack++;
                }
                else
                {
                    willSend++;
                }
            }

            pending.Clear();
        }

        await foreach (var (record, content, errors) in CheckAsync(merchant, batch, cancellationToken))
        {
            if (content is not null)
            {
                pending.Add(content);
                if (pending.Count == LookupsAtOnce)
                {
                    await LookUpAsync();
                }

                continue;
            }

            failing++;
            foreach (var error in errors.DistinctBy(e => (e.Field, e.Code)))
            {
                var group = failures.TryGetValue((error.Field, error.Code), out var found) ? found : (error.Message, 0, new List<int>());
                if (group.Item3.Count < BatchReview.LinesShownPerReason)
                {
                    group.Item3.Add(record.Line);
                }

                failures[(error.Field, error.Code)] = (group.Item1, group.Item2 + 1, group.Item3);
            }
        }

        await LookUpAsync();
        var reached = await cap.CheckAsync(merchant, scan.Messages, cancellationToken);
        return new BatchReview(scan.Header!.Names.ToArray(), scan.Total, willSend, smsMessages, emailMessages, failing,
            failures.OrderByDescending(f => f.Value.Count).ThenBy(f => f.Value.Lines[0])
                .Select(f => new BatchReviewFailure(f.Key.Field, f.Key.Code, f.Value.Message, f.Value.Count, f.Value.Lines)).ToList(),
            optedOutSms, optedOutEmail, heldBack, reached is null ? null : $"{reached.Message} Confirming would send nothing in the file.");
    }

    /// <summary>The lines that will fail, in file order, with every reason.</summary>
    public async IAsyncEnumerable<FailedBatchLine> FailingLinesAsync(Merchant merchant, Batch batch,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (record, content, errors) in CheckAsync(merchant, batch, cancellationToken))
        {
            if (content is null)
            {
                yield return new FailedBatchLine(record.Line, record.Raw, errors);
            }
        }
    }

    private async IAsyncEnumerable<(CsvRecord Record, PaymentRequestContent? Content, IReadOnlyList<FieldError> Errors)> CheckAsync(Merchant merchant,
        Batch batch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = await uploads.OpenReadAsync(batch.BlobName, batch.Snapshot!, 0, cancellationToken);
        var reader = new CsvRecordReader(BatchFile.OpenText(stream));
        var (header, _) = BatchFile.ReadHeader(await reader.ReadAsync(cancellationToken));
        if (header is null)
        {
            yield break;
        }

        reader.ExpectedFields = header.Names.Count;
        var check = new BatchRecordCheck(header, merchant, clock.GetUtcNow());
        while (await reader.ReadAsync(cancellationToken) is { } record)
        {
            var (content, errors) = check.Check(record);
            yield return (record, content, errors);
        }
    }

    /// <summary>The channels of a request the opt-out list holds back.</summary>
    private async Task<IReadOnlyList<Channel>> HeldBackAsync(string merchantId, PaymentRequestContent content, CancellationToken cancellationToken)
    {
        var held = new List<Channel>();
        foreach (var channel in content.Channels)
        {
            var recipient = channel == Channel.Sms ? content.Customer.MobileNumber : content.Customer.Email;
            if (recipient is not null && await optOuts.FindAsync(merchantId, channel, recipient, channel == Channel.Sms ? sms.Value : null, cancellationToken) is not null)
            {
                held.Add(channel);
            }
        }

        return held;
    }
}
