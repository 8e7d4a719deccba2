using System.Globalization;
using Azure.Data.Tables;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;

namespace PayByLink.Adapters.Storage;

/// <summary>A message the outbox "sent": what a local user sees at /dev/outbox instead of a real SMS or email.</summary>
public sealed record OutboxMessage(
    string SendId,
    string Channel,
    string Recipient,
    string? Subject,
    string Body,
    string? Html,
    string RequestId,
    DateTimeOffset SentAt);

/// <summary>
/// The provider the local runtime uses: every SMS and email lands in the <c>Outbox</c> table, one partition a day.
/// Each call stores a message, so a send made twice shows twice.
/// </summary>
public sealed class TableOutbox(StorageClients storage, TimeProvider clock) : ISmsSender, IEmailSender
{
    private readonly TableClient _table = storage.Table(StorageNames.OutboxTable);

    public Task<SendOutcome> SendAsync(SmsToSend sms, CancellationToken cancellationToken) =>
        StoreAsync(sms.SendId, Channel.Sms, sms.To, null, sms.Text, null, cancellationToken);

    public Task<SendOutcome> SendAsync(EmailToSend email, CancellationToken cancellationToken) =>
        StoreAsync(email.SendId, Channel.Email, email.To, email.Content.Subject, email.Content.PlainText, email.Content.Html, cancellationToken);

    /// <summary>The newest messages first, from the last <paramref name="days"/> days.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(int max, int days, CancellationToken cancellationToken)
    {
        var messages = new List<OutboxMessage>();
        var today = clock.GetUtcNow();
        for (var day = 0; day < days && messages.Count < max; day++)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Day(today.AddDays(-day))}");
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                messages.Add(new OutboxMessage(row.GetString("SendId"), row.GetString("Channel"), row.GetString("Recipient"),
                    row.GetString("Subject"), row.GetString("Body"), row.GetString("Html"), row.GetString("RequestId"),
                    row.GetDateTimeOffset("SentAt")!.Value));
                if (messages.Count >= max)
                {
                    break;
                }
            }
        }

        return messages;
    }

    private async Task<SendOutcome> StoreAsync(string sendId, Channel channel, string to, string? subject, string body, string? html,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await _table.UpsertEntityAsync(new TableEntity(Day(now), TableKeys.NewestFirst(now) + "|" + sendId)
        {
            ["SendId"] = sendId,
            ["Channel"] = channel.Name(),
            ["Recipient"] = to,
            ["Subject"] = subject,
            ["Body"] = body,
            ["Html"] = html,
            ["RequestId"] = sendId.Split('.')[0],
            ["SentAt"] = now,
        }, TableUpdateMode.Replace, cancellationToken);
        return SendOutcome.Sent("outbox-" + sendId);
    }

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
