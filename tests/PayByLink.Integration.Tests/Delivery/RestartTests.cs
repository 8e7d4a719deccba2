using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Http;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Delivery;

/// <summary>Its own Azurite, so that only the runtimes started here take messages off its queues.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "paybylink-restart-" + Guid.NewGuid().ToString("N"));
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.StartPrivateAsync(_data, inMemory: true, CancellationToken.None);

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    private async Task<LocalRuntime> StartAsync(bool senders, CapturedLogs? logs = null)
    {
        var runtime = await LocalRuntime.CreateAsync(
        [
            "--urls", $"http://127.0.0.1:{Azurite.FreePort()}",
            $"--PayByLinkStorage={_azurite.ConnectionString}",
            $"--Local:Senders={senders}",
            "--Logging:LogLevel:Default=Information",
        ], services =>
        {
            if (logs is not null)
            {
                services.AddSingleton<ILoggerProvider>(logs);
            }
        });
        await runtime.App.StartAsync();
        return runtime;
    }

    [Fact]
    public async Task Messages_queued_before_a_restart_are_each_sent_once_after_it()
    {
        string key;
        var ids = new List<string>();
        await using (var before = await StartAsync(senders: false))
        {
            var admin = before.Services.GetRequiredService<MerchantAdministration>();
            await admin.AddMerchantAsync(new Merchant("restart-merchant", "Restart Ltd", "GBP", 1000m), CancellationToken.None);
            (key, _) = await admin.IssueKeyAsync("restart-merchant", CancellationToken.None);
            using var http = new HttpClient { BaseAddress = new Uri(before.BaseUrl + "/") };
            http.DefaultRequestHeaders.Add(MerchantAuthentication.KeyHeader, key);
            for (var i = 0; i < 5; i++)
            {
                var response = await http.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate());
                ids.Add((await response.JsonAsync()).Str("requestId"));
            }
        }

        var logs = new CapturedLogs();
        await using var after = await StartAsync(senders: true, logs);
        var outbox = new Outbox(after.Services.GetRequiredService<TableOutbox>(), after.Services.GetRequiredService<StorageClients>());

        foreach (var id in ids)
        {
            (await outbox.ForRequestAsync(id, 2)).Select(m => m.Channel).ShouldBe(["sms", "email"], ignoreOrder: true);
        }

        logs.Text.ShouldContain("sent by Sms to +44***123");
        logs.Text.ShouldNotContain("7700900123");
        logs.Text.ShouldNotContain("7700 900123");
        logs.Text.ShouldNotContain("jane@example.com");
    }

    /// <summary>Every log line the runtime writes, formatted.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public string Text => string.Join('\n', _lines);

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
        }
    }
}
