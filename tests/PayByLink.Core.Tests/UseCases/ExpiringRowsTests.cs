using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Scheduling;
using PayByLink.Testing;

namespace PayByLink.Core.Tests.UseCases;

public class ExpiringRowsTests
{
    private sealed class Recording : IExpiringRows
    {
        public List<DateTimeOffset> Calls { get; } = [];

        public Task<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            Calls.Add(now);
            return Task.FromResult(0);
        }
    }

    private sealed class Failing : IExpiringRows
    {
        public Task<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => throw new IOException("storage refused");
    }

    [Fact]
    public async Task The_timer_removes_expired_rows_on_its_first_run_of_each_hour_and_a_failure_stops_nothing()
    {
        var recording = new Recording();
        using var suite = new InMemorySuite(configure: services =>
        {
            services.AddSingleton<IExpiringRows>(new Failing());
            services.AddSingleton<IExpiringRows>(recording);
        });
        var schedule = suite.Get<RunSchedule>();

        await schedule.ExecuteAsync(CancellationToken.None);
        suite.Clock.Advance(TimeSpan.FromMinutes(1));
        await schedule.ExecuteAsync(CancellationToken.None);
        recording.Calls.Count.ShouldBe(1, "once in the hour, though the other store failed");

        suite.Clock.Advance(TimeSpan.FromHours(1));
        await schedule.ExecuteAsync(CancellationToken.None);
        recording.Calls.Count.ShouldBe(2);
    }
}
