using Microsoft.Extensions.Time.Testing;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;

namespace PayByLink.Core.Tests.Delivery;

public class SendPacerTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2027, 3, 1, 10, 0, 0, TimeSpan.Zero));

    /// <summary>Advances the clock a step at a time, letting the pacer give out the turns due at each step.</summary>
    private async Task AdvanceAsync(TimeSpan by, TimeSpan step)
    {
        for (var passed = TimeSpan.Zero; passed < by; passed += step)
        {
            _clock.Advance(step);
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task A_channel_sends_at_its_rate_and_an_unpaced_channel_at_once()
    {
        var pacer = new SendPacer(new SendRates(SmsPerSecond: 4, EmailPerSecond: 0), _clock);
        var sms = Enumerable.Range(0, 9).Select(_ => pacer.WaitTurnAsync(Channel.Sms, "m1", CancellationToken.None)).ToList();
        var email = Enumerable.Range(0, 50).Select(_ => pacer.WaitTurnAsync(Channel.Email, "m1", CancellationToken.None)).ToList();

        await Task.Delay(20);
        email.ShouldAllBe(t => t.IsCompletedSuccessfully);
        sms.Count(t => t.IsCompleted).ShouldBe(1, "the first at once, the rest a quarter of a second apart");

        await AdvanceAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50));
        sms.Count(t => t.IsCompleted).ShouldBe(5);

        await AdvanceAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50));
        sms.ShouldAllBe(t => t.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Merchants_waiting_take_turns_so_a_big_batch_does_not_hold_up_a_single_link()
    {
        var pacer = new SendPacer(new SendRates(SmsPerSecond: 10, EmailPerSecond: 0), _clock);
        var order = new List<string>();
        var batch = Enumerable.Range(0, 200).Select(i => Turn(pacer, "big-batch", $"batch-{i}", order)).ToList();
        await Task.Delay(20);
        var single = Turn(pacer, "other-merchant", "single", order);
        var another = Turn(pacer, "third-merchant", "third", order);

        await AdvanceAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(20));

        single.IsCompletedSuccessfully.ShouldBeTrue("the single link's turn comes within a few sends, not after 200");
        another.IsCompletedSuccessfully.ShouldBeTrue();
        order.IndexOf("single").ShouldBeLessThan(4);
        order.IndexOf("third").ShouldBeLessThan(5);
        batch.Count(t => t.IsCompleted).ShouldBeLessThan(10);
    }

    [Fact]
    public async Task After_the_provider_throttles_a_channel_no_send_goes_until_its_retry_after()
    {
        var pacer = new SendPacer(SendRates.Unpaced, _clock);
        pacer.Throttled(Channel.Sms, TimeSpan.FromSeconds(3));
        var waiting = Enumerable.Range(0, 5).Select(i => pacer.WaitTurnAsync(Channel.Sms, $"m{i}", CancellationToken.None)).ToList();
        var email = pacer.WaitTurnAsync(Channel.Email, "m1", CancellationToken.None);

        await AdvanceAsync(TimeSpan.FromSeconds(2.9), TimeSpan.FromMilliseconds(100));
        waiting.ShouldAllBe(t => !t.IsCompleted);
        email.IsCompletedSuccessfully.ShouldBeTrue("the pause is the throttled channel's only");

        await AdvanceAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(100));
        waiting.ShouldAllBe(t => t.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_send_that_stops_waiting_gives_its_turn_to_the_next()
    {
        var pacer = new SendPacer(new SendRates(SmsPerSecond: 2, EmailPerSecond: 0), _clock);
        await pacer.WaitTurnAsync(Channel.Sms, "m1", CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var given = pacer.WaitTurnAsync(Channel.Sms, "m1", stop.Token);
        var next = pacer.WaitTurnAsync(Channel.Sms, "m2", CancellationToken.None);

        await stop.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(given);
        await AdvanceAsync(TimeSpan.FromMilliseconds(600), TimeSpan.FromMilliseconds(50));

        next.IsCompletedSuccessfully.ShouldBeTrue();
    }

    private static async Task Turn(SendPacer pacer, string merchant, string name, List<string> order)
    {
        await pacer.WaitTurnAsync(Channel.Sms, merchant, CancellationToken.None);
        lock (order)
        {
            order.Add(name);
        }
    }
}
