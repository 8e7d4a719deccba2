using PayByLink.Core.Delivery;

namespace PayByLink.Testing.InMemory;

/// <summary>SMS and email providers in memory: each recipient's planned outcomes in turn, then Sent; every call kept.</summary>
public sealed class FakeProviders : ISmsSender, IEmailSender
{
    private readonly Dictionary<string, Queue<Func<SendOutcome>>> _plans = [];
    private int _nextId;

    public string From => "+447700900000";

    public List<(string To, string SendId)> Calls { get; } = [];

    /// <summary>What each send said, by send id: an SMS's text, an email's content.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, object> Messages { get; } = new();

    public int CallsTo(string recipient)
    {
        lock (Calls)
        {
            return Calls.Count(c => c.To == recipient);
        }
    }

    /// <summary>The next calls to <paramref name="recipient"/> answer these, in turn.</summary>
    public void Plan(string recipient, params SendOutcome[] outcomes) => Plan(recipient, outcomes.Select(o => (Func<SendOutcome>)(() => o)).ToArray());

    public void Plan(string recipient, params Func<SendOutcome>[] outcomes)
    {
        lock (_plans)
        {
            if (!_plans.TryGetValue(recipient, out var queue))
            {
                _plans[recipient] = queue = new Queue<Func<SendOutcome>>();
            }

            foreach (var outcome in outcomes)
            {
                queue.Enqueue(outcome);
            }
        }
    }

    public Task<SendOutcome> SendAsync(SmsToSend sms, CancellationToken cancellationToken)
    {
        Messages[sms.SendId] = sms.Text;
        return CallAsync(sms.To, sms.SendId);
    }

    public Task<SendOutcome> SendAsync(EmailToSend email, CancellationToken cancellationToken)
    {
        Messages[email.SendId] = email.Content;
        return CallAsync(email.To, email.SendId);
    }

    private Task<SendOutcome> CallAsync(string to, string sendId)
    {
        lock (Calls)
        {
            Calls.Add((to, sendId));
        }

        Func<SendOutcome>? planned = null;
        lock (_plans)
        {
            if (_plans.TryGetValue(to, out var queue) && queue.Count > 0)
            {
                planned = queue.Dequeue();
            }
        }

        return Task.FromResult(planned?.Invoke() ?? SendOutcome.Sent($"msg-{Interlocked.Increment(ref _nextId)}"));
    }
}
