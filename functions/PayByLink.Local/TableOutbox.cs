using System.Globalization;
using Azure;
using Azure.Data.Tables;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;

namespace PayByLink.Local;

/// <summary>
/// The carrier the local runtime uses: every SMS and email lands in the <c>Outbox</c> table, one partition a day,
/// each with the delivery report it owes (a row of its own, written in the same transaction), which the local
/// runtime posts a second later. <see cref="UndeliverableMobile"/> and <see cref="UndeliverableEmail"/> are never
/// delivered. Each call stores a message, so a send made twice shows twice.
/// </summary>
public sealed class TableOutbox(StorageClients storage, TimeProvider clock) : ISmsSender, IEmailSender
{
    /// <summary>The number local SMS come from, and inbound texts go to.</summary>
    public const string SenderNumber = "+447700900000";

    public const string UndeliverableMobile = "+447700900999";

    public const string UndeliverableEmail = "undeliverable@example.com";

    /// <summary>How long after a message its delivery report is due.</summary>
    public static readonly TimeSpan ReceiptDelay = TimeSpan.FromSeconds(1);

    private const string ReceiptPrefix = "~receipt|";
    private const int Days = 7;

    private readonly TableClient _table = storage.Table(StorageNames.OutboxTable);

    public string From => SenderNumber;

    public Task<SendOutcome> SendAsync(SmsToSend sms, CancellationToken cancellationToken) =>
        StoreAsync(sms.SendId, Channel.Sms, sms.To, null, sms.Text, null, null, sms.Tag, cancellationToken);

    public Task<SendOutcome> SendAsync(EmailToSend email, CancellationToken cancellationToken) =>
        StoreAsync(email.SendId, Channel.Email, email.To, email.Content.Subject, email.Content.PlainText, email.Content.Html,
            email.Headers["List-Unsubscribe"], email.OperationId, cancellationToken);

    /// <summary>
    /// One page of messages, newest first, from the last week, optionally only those of one request or to one
    /// recipient.
    /// </summary>
    /// <exception cref="Core.Ports.InvalidContinuationTokenException">The token is not one this list gave.</exception>
    public async Task<OutboxPage> PageAsync(string? requestId, string? recipient, int pageSize, string? continuationToken,
        CancellationToken cancellationToken)
    {
        var today = clock.GetUtcNow();
        var (day, after) = (0, (string?)null);
        if (continuationToken is not null)
        {
            var parts = TableKeys.ReadRowToken(continuationToken).Split('/', 2);
            if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out day) || day is < 0 or >= Days)
            {
                throw new Core.Ports.InvalidContinuationTokenException();
            }

            after = parts[1];
        }

        var filter = TableClient.CreateQueryFilter($"RowKey lt {ReceiptPrefix}");
        if (requestId is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RequestId eq {requestId}");
        }

        if (recipient is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Recipient eq {recipient}");
        }

        var messages = new List<OutboxMessage>();
        for (; day < Days; day++, after = null)
        {
            var token = after is null ? null : TableKeys.RowToken(after);
            do
            {
                var (rows, next) = await TableKeys.PageAsync(_table, Day(today.AddDays(-day)), filter, pageSize - messages.Count, token,
                    cancellationToken);
                messages.AddRange(rows.Select(Read));
                if (messages.Count == pageSize)
                {
                    var more = next is not null || day < Days - 1;
                    return new OutboxPage(messages, more ? TableKeys.RowToken($"{day}/{rows[^1].RowKey}") : null);
                }

                token = next;
            }
            while (token is not null);
        }

        return new OutboxPage(messages, null);
    }

    /// <summary>The newest messages, up to <paramref name="max"/>, from the last week.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(int max, CancellationToken cancellationToken)
    {
        var messages = new List<OutboxMessage>();
        string? token = null;
        do
        {
            var page = await PageAsync(null, null, Math.Min(1000, max - messages.Count), token, cancellationToken);
            messages.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null && messages.Count < max);

        return messages;
    }

    /// <summary>The delivery reports due by now, oldest first (from today and yesterday).</summary>
    public async Task<IReadOnlyList<DueReceipt>> DueReceiptsAsync(int max, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = new List<DueReceipt>();
        foreach (var day in new[] { Day(now.AddDays(-1)), Day(now) })
        {
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {day} and RowKey ge {ReceiptPrefix} and RowKey lt {ReceiptPrefix[..^1] + "}"} and DueAt le {now}");
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                due.Add(new DueReceipt(row.PartitionKey, row.GetString("MessageRow"), row.RowKey, Enum.Parse<Channel>(row.GetString("Channel")),
                    row.GetString("Reference"), row.GetString("Recipient"), row.GetString("CarrierStatus"), row.GetString("Detail"),
                    row.GetDateTimeOffset("DueAt")!.Value));
                if (due.Count == max)
                {
                    return due;
                }
            }
        }

        return due;
    }

    /// <summary>Marks a report posted: its message shows it, and it is no longer due.</summary>
    public async Task MarkPostedAsync(DueReceipt receipt, CancellationToken cancellationToken)
    {
        try
        {
            await _table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(receipt.Partition, receipt.MessageRow)
                {
                    ["Receipt"] = receipt.CarrierStatus,
                    ["ReceiptAt"] = clock.GetUtcNow(),
                }),
                new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(receipt.Partition, receipt.ReceiptRow), ETag.All),
            ], cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // Posted and marked before (a worker that stopped between the two): nothing more to do.
        }
    }

    private async Task<SendOutcome> StoreAsync(string sendId, Channel channel, string to, string? subject, string body, string? html,
        string? unsubscribe, string reference, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (partition, row) = (Day(now), TableKeys.NewestFirst(now) + "|" + sendId);
        var (status, detail) = Outcome(channel, to);
        await _table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, row)
            {
                ["SendId"] = sendId,
                ["Channel"] = channel.Name(),
                ["Recipient"] = to,
                ["Subject"] = subject,
                ["Body"] = body,
                ["Html"] = html,
                ["Unsubscribe"] = unsubscribe,
                ["RequestId"] = sendId.Split('.')[0],
                ["SentAt"] = now,
            }),
            // Oldest first (unlike the messages), so a report owed since before a restart is posted before the newer ones.
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition,
                ReceiptPrefix + TableKeys.OldestFirst(now + ReceiptDelay) + "|" + sendId)
            {
                ["MessageRow"] = row,
                ["Channel"] = channel.ToString(),
                ["Reference"] = reference,
                ["Recipient"] = to,
                ["CarrierStatus"] = status,
                ["Detail"] = detail,
                ["DueAt"] = now + ReceiptDelay,
            }),
        ], cancellationToken);
        return SendOutcome.Sent(channel == Channel.Email ? reference : "outbox-" + sendId);
    }

    /// <summary>What the local carrier reports of a message: delivered, except to the test recipients that never are.</summary>
    private static (string Status, string? Detail) Outcome(Channel channel, string to) => (channel, to) switch
    {
        (Channel.Sms, UndeliverableMobile) => ("Failed", "The number is not in service (local test number)."),
        (Channel.Email, UndeliverableEmail) => ("Bounced", "The mailbox does not exist (local test address)."),
        (Channel.Sms, _) => ("Delivered", "Delivered to the handset."),
        _ => ("Delivered", "Delivered to the mailbox."),
    };

    private static OutboxMessage Read(TableEntity row) => new(row.GetString("SendId"), row.GetString("Channel"), row.GetString("Recipient"),
        row.GetString("Subject"), row.GetString("Body"), row.GetString("Html"), row.GetString("RequestId"), row.GetDateTimeOffset("SentAt")!.Value,
        row.GetString("Unsubscribe"), row.GetString("Receipt"), row.GetDateTimeOffset("ReceiptAt"));

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
