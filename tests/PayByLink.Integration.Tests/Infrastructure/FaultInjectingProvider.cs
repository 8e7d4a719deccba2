using System.Collections.Concurrent;
using PayByLink.Core.Delivery;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>
/// Stands between the senders and the outbox: for a planned recipient it answers the planned outcomes in turn
/// (or fails transiently for ever), and otherwise passes the send to the outbox.
/// </summary>
public sealed class FaultInjectingProvider(TableOutbox outbox) : ISmsSender, IEmailSender
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SendOutcome>> _planned = new();
    private readonly ConcurrentDictionary<string, bool> _alwaysTransient = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();

    public string From => outbox.From;

    public void Plan(string recipient, params SendOutcome[] outcomes) => _planned[recipient] = new ConcurrentQueue<SendOutcome>(outcomes);

    public void FailForEver(string recipient) => _alwaysTransient[recipient] = true;

    public int Calls(string recipient) => _calls.GetValueOrDefault(recipient);

    public Task<SendOutcome> SendAsync(SmsToSend sms, CancellationToken cancellationToken) =>
        Answer(sms.To) ?? outbox.SendAsync(sms, cancellationToken);

    public Task<SendOutcome> SendAsync(EmailToSend email, CancellationToken cancellationToken) =>
        Answer(email.To) ?? outbox.SendAsync(email, cancellationToken);

    private Task<SendOutcome>? Answer(string recipient)
    {
        _calls.AddOrUpdate(recipient, 1, (_, n) => n + 1);
        if (_alwaysTransient.ContainsKey(recipient))
        {
            return Task.FromResult(SendOutcome.Transient("throttled", "429 Too Many Requests"));
        }

        return _planned.TryGetValue(recipient, out var queue) && queue.TryDequeue(out var outcome) ? Task.FromResult(outcome) : null;
    }
}
