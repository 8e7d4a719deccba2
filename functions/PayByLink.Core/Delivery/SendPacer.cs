using PayByLink.Core.Domain;
using PayByLink.Core.Ports;

namespace PayByLink.Core.Delivery;

/// <summary>
/// The most sends a second each channel may make from one sending process; 0 leaves the channel unpaced.
/// </summary>
public sealed record SendRates(double SmsPerSecond, double EmailPerSecond)
{
    public static readonly SendRates Unpaced = new(0, 0);

    /// <summary>
    /// One process's share of the provider's rates for the whole resource (<c>Delivery__SmsPerMinute</c>,
    /// <c>Delivery__EmailPerMinute</c>; 0 or unset: unpaced) when <paramref name="sharedBy"/> processes send at once
    /// (<c>Delivery__SharedBy</c>: in Azure, the most instances the Notify app scales out to).
    /// </summary>
    public static SendRates Share(double smsPerMinute, double emailPerMinute, int sharedBy) =>
        new(smsPerMinute / 60 / Math.Max(1, sharedBy), emailPerMinute / 60 / Math.Max(1, sharedBy));

    public double For(Channel channel) => channel == Channel.Sms ? SmsPerSecond : EmailPerSecond;
}

/// <summary>
/// Paces sends to the provider. Each channel makes at most its configured number of sends a second, evenly spaced;
/// after the provider answers 429 it makes none until the <c>Retry-After</c> it gave. Sends waiting for their turn are
/// served merchant by merchant in rotation, so one merchant's batch of thousands does not hold up another's single
/// link: each merchant with a send waiting gets an equal share of the rate.
/// </summary>
public sealed class SendPacer(SendRates rates, TimeProvider clock)
{
    private readonly Lane _sms = new(Interval(rates.SmsPerSecond), clock);
    private readonly Lane _email = new(Interval(rates.EmailPerSecond), clock);

    private static TimeSpan Interval(double perSecond) => perSecond > 0 ? TimeSpan.FromSeconds(1 / perSecond) : TimeSpan.Zero;

    private Lane LaneFor(Channel channel) => channel == Channel.Sms ? _sms : _email;

    /// <summary>Completes when this merchant's send on the channel may go to the provider.</summary>
    public Task WaitTurnAsync(Channel channel, string merchantId, CancellationToken cancellationToken) =>
        LaneFor(channel).WaitTurnAsync(merchantId, cancellationToken);

    /// <summary>The provider refused a send for its rate: no send on the channel until <paramref name="retryAfter"/> has passed.</summary>
    public void Throttled(Channel channel, TimeSpan retryAfter) => LaneFor(channel).Pause(retryAfter);

    /// <summary>One channel's turns: the next free moment, a pause, and the waiting sends by merchant, served in rotation.</summary>
    private sealed class Lane(TimeSpan interval, TimeProvider clock)
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, Queue<TaskCompletionSource>> _waiting = new(StringComparer.Ordinal);
        private readonly Queue<string> _rotation = new();
        private DateTimeOffset _nextFree = DateTimeOffset.MinValue;
        private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
        private bool _serving;

        public Task WaitTurnAsync(string merchantId, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                if (!_serving && now >= _nextFree && now >= _pausedUntil)
                {
                    _nextFree = now + interval;
                    return Task.CompletedTask;
                }

                var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (!_waiting.TryGetValue(merchantId, out var queue))
                {
                    _waiting[merchantId] = queue = new Queue<TaskCompletionSource>();
                    _rotation.Enqueue(merchantId);
                }

                queue.Enqueue(turn);
                if (cancellationToken.CanBeCanceled)
                {
                    cancellationToken.Register(() => turn.TrySetCanceled(cancellationToken));
                }

                if (!_serving)
                {
                    _serving = true;
                    _ = CallDeadline.StartDetached(ServeAsync);
                }

                return turn.Task;
            }
        }

        public void Pause(TimeSpan retryAfter)
        {
            lock (_gate)
            {
                var until = clock.GetUtcNow() + retryAfter;
                if (until > _pausedUntil)
                {
                    _pausedUntil = until;
                }
            }
        }

        /// <summary>Gives out turns while sends wait: one each free moment, to the next merchant in the rotation.</summary>
        private async Task ServeAsync()
        {
            while (true)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    var now = clock.GetUtcNow();
                    var due = _nextFree > _pausedUntil ? _nextFree : _pausedUntil;
                    if (due <= now)
                    {
                        if (GiveNextTurn())
                        {
                            _nextFree = now + interval;
                        }

                        if (_rotation.Count == 0)
                        {
                            _serving = false;
                            return;
                        }

                        continue;
                    }

                    wait = due - now;
                }

                await Task.Delay(wait, clock);
            }
        }

        /// <summary>The next merchant in the rotation gets its oldest waiting send's turn (sends given up are passed over).</summary>
        private bool GiveNextTurn()
        {
            while (_rotation.TryDequeue(out var merchantId))
            {
                var queue = _waiting[merchantId];
                var given = false;
                while (!given && queue.TryDequeue(out var turn))
                {
                    given = turn.TrySetResult();
                }

                if (queue.Count > 0)
                {
                    _rotation.Enqueue(merchantId);
                }
                else
                {
                    _waiting.Remove(merchantId);
                }

                if (given)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
