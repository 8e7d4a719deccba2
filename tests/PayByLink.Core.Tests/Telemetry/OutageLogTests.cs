using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PayByLink.Core.Ports;
using PayByLink.Core.Telemetry;

namespace PayByLink.Core.Tests.Telemetry;

public class OutageLogTests
{
    private sealed class Lines : ILogger<OutageLog>
    {
        public List<string> Written { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            exception.ShouldBeNull("an outage is logged without its stack trace");
            Written.Add(formatter(state, exception));
        }
    }

    private static Exception Outage() =>
        new AggregateException(new StorageUnavailableException("Storage at 127.0.0.1:10001 did not answer GET: HttpRequestException."));

    [Fact]
    public void A_storage_outage_is_one_line_per_kind_per_minute_with_its_count()
    {
        var (clock, lines) = (new FakeTimeProvider(), new Lines());
        var log = new OutageLog(lines, clock);

        for (var i = 0; i <= 40; i++) // one every 1.5 s, for a minute
        {
            log.Counted("queue send-sms unreadable", Outage()).ShouldBeTrue();
            log.Counted("webhook queue unreadable", Outage()).ShouldBeTrue();
            clock.Advance(TimeSpan.FromSeconds(1.5));
        }

        lines.Written.Count.ShouldBe(4, string.Join('\n', lines.Written));
        lines.Written[0].ShouldStartWith("queue send-sms unreadable: storage did not answer (Storage at 127.0.0.1:10001");
        lines.Written[2].ShouldStartWith("queue send-sms unreadable: storage did not answer, 40 times in the last minute (last: Storage at");
        lines.Written.Where(l => l.StartsWith("webhook queue unreadable")).Count().ShouldBe(2);
    }

    [Fact]
    public void Anything_else_is_left_to_its_worker_to_log_in_full()
    {
        var lines = new Lines();

        new OutageLog(lines, new FakeTimeProvider()).Counted("queue send-sms unreadable", new InvalidOperationException("a bug")).ShouldBeFalse();

        lines.Written.ShouldBeEmpty();
    }
}
