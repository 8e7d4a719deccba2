using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Integration.Tests.Infrastructure;
using PayByLink.Local;

namespace PayByLink.Integration.Tests.Telemetry;

/// <summary>
/// Everything the runtime exports while a customer's data goes through it: a create, its sends and their receipts,
/// lists by name and mobile, the short link, the page, a payment, a STOP, the carrier's call with its key and a batch,
/// with every storage and HTTP call traced as Azure traces them. None of the customer's values, nor the link's token and
/// code, nor the API key or the carrier key, may be in any span, log record or metric.
/// </summary>
public sealed class PersonalDataInTelemetryTests : IAsyncLifetime
{
    private const string CarrierKey = "telemetry-carrier-key-0123456789";
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "paybylink-telemetry-" + Guid.NewGuid().ToString("N"));
    private readonly List<Activity> _spans = [];
    private readonly List<LogRecord> _logs = [];
    private readonly List<Metric> _metrics = [];
    private Azurite _azurite = null!;
    private LocalRuntime _runtime = null!;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartPrivateAsync(_dataFolder, inMemory: true, CancellationToken.None);
        _runtime = await LocalRuntime.CreateAsync(
        [
            "--urls", $"http://127.0.0.1:{Azurite.FreePort()}",
            $"--PayByLinkStorage={_azurite.ConnectionString}",
            "--Logging:LogLevel:Default=Information",
            "--Telemetry:Console=false",
            "--Telemetry:Dependencies=true",
            $"--CarrierEvents:Key={CarrierKey}",
        ], services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_metrics));
            services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(_logs));
        });
        await _runtime.App.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        await _azurite.DisposeAsync();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task No_name_mobile_email_token_code_key_or_query_string_reaches_any_span_log_or_metric()
    {
        var admin = _runtime.Services.GetRequiredService<MerchantAdministration>();
        var merchant = await admin.AddMerchantAsync(new Merchant("telemetry-m", "Telemetry Ltd", "GBP", 5000m), CancellationToken.None);
        var (key, _) = await admin.IssueKeyAsync(merchant.Id, CancellationToken.None);
        using var api = new HttpClient { BaseAddress = new Uri(_runtime.BaseUrl + "/") };
        api.DefaultRequestHeaders.Add(PayByLink.Http.MerchantAuthentication.KeyHeader, key);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_runtime.BaseUrl + "/") };

        var digits = Random.Shared.Next(100, 999);
        var person = (First: "Zephyrine", Last: "Quillfeather", Mobile: $"07700 900{digits}", E164: $"+447700900{digits}",
            Email: $"zq{Guid.NewGuid():N}@example.com");
        var created = await (await api.PostAsJsonAsync("api/v1/payment-requests", Requests.ValidCreate()
            .With("customer.firstName", person.First).With("customer.lastName", person.Last)
            .With("customer.mobileNumber", person.Mobile).With("customer.email", person.Email))).JsonAsync();
        var (requestId, longUrl, shortUrl) = (created.Str("requestId"), created.Str("longUrl"), created.Str("shortUrl"));
        var (token, code) = (new Uri(longUrl).Segments[^1], new Uri(shortUrl).Segments[^1]);

        // Sent, and the local carrier's receipts in.
        await WaitAsync(async () => (await api.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{requestId}"))
            .GetProperty("deliveries").EnumerateArray().Count(d => d.Str("status") == "Delivered") == 2);
        (await api.GetAsync($"api/v1/payment-requests?customerName={person.Last}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync($"api/v1/payment-requests?mobileNumber={Uri.EscapeDataString(person.Mobile)}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The customer: the short link, the page, a payment through the test gateway; then a STOP.
        (await browser.GetAsync($"l/{code}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.GetAsync($"pay/{token}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var checkout = await browser.PostAsync($"pay/{token}/checkout", null);
        var gateway = checkout.Headers.Location!.PathAndQuery.TrimStart('/');
        await browser.PostAsync(gateway + "/approve", null);
        await WaitAsync(async () => (await api.GetFromJsonAsync<JsonElement>($"api/v1/payment-requests/{requestId}")).Str("status") == "Paid");
        (await browser.PostAsJsonAsync("dev/sms/inbound", new { from = person.Mobile, message = "STOP" })).IsSuccessStatusCode.ShouldBeTrue();

        // Event Grid's call, with the carrier key in its URL.
        (await browser.PostAsync($"api/acs/events?key={CarrierKey}", new StringContent("[]", System.Text.Encoding.UTF8, "application/json")))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        // A batch line for another customer.
        var batchPerson = (First: "Bartholomew", Last: "Xylophonist", Mobile: $"07700 900{(digits + 1) % 1000:D3}");
        var started = await (await api.PostAsJsonAsync("api/v1/batches", new { fileName = "telemetry.csv" })).JsonAsync();
        (await BatchFiles.UploadAsync(new Uri(started.Str("uploadUrl")), BatchFiles.Csv(BatchFiles.Header,
            $"{BatchFiles.NewRef()},12.00,ACC-9,Council tax,{batchPerson.First},{batchPerson.Last},{batchPerson.Mobile},"))).StatusCode
            .ShouldBe(HttpStatusCode.Created);
        await WaitAsync(async () => (await api.GetFromJsonAsync<JsonElement>($"api/v1/batches/{started.Str("batchId")}")).Str("status") == "Completed");

        _runtime.Services.GetRequiredService<TracerProvider>().ForceFlush();
        _runtime.Services.GetRequiredService<MeterProvider>().ForceFlush();
        _runtime.Services.GetRequiredService<LoggerProvider>().ForceFlush();
        var (spans, logs, metrics) = (_spans.ToArray().Where(s => s is not null).ToList(), _logs.ToArray().Where(l => l is not null).ToList(),
            _metrics.ToArray().Where(m => m is not null).ToList());
        var exported = Exported(spans, logs, metrics);

        // What was exported is what Azure would see: storage and HTTP dependencies, the pages' requests, the logs.
        spans.ShouldContain(s => s.Source.Name.StartsWith("Azure.Data.Tables", StringComparison.Ordinal));
        spans.ShouldContain(s => s.Kind == ActivityKind.Server && ((string?)s.GetTagItem("http.route") ?? "").EndsWith("pay/{token}", StringComparison.Ordinal));
        spans.ShouldContain(s => s.Kind == ActivityKind.Client && s.GetTagItem("url.full") != null);
        logs.ShouldContain(l => (l.FormattedMessage ?? l.Body ?? "").Contains("texted STOP"));
        metrics.ShouldContain(m => m.Name == "paybylink.sends");

        string[] secrets =
        [
            person.First, person.Last, person.Mobile, person.E164, person.E164[1..], person.Mobile.Replace(" ", ""), person.Email,
            person.Email.Split('@')[0], batchPerson.First, batchPerson.Last, batchPerson.Mobile.Replace(" ", "")[1..], token, code, key, CarrierKey,
            "customerName=", "mobileNumber=",
        ];
        foreach (var secret in secrets)
        {
            exported.Where(e => e.Text.Contains(secret, StringComparison.OrdinalIgnoreCase)).Select(e => $"{e.Where}: {e.Text}").ShouldBeEmpty(secret);
        }
    }

    /// <summary>Every text the exporters were given, with where it was.</summary>
    /// <remarks>The lists are copies: the runtime's workers go on exporting while the test reads.</remarks>
    private static List<(string Where, string Text)> Exported(List<Activity> spans, List<LogRecord> logs, List<Metric> metrics)
    {
        var texts = new List<(string, string)>();
        foreach (var span in spans)
        {
            texts.Add(($"span {span.Source.Name}", span.DisplayName));
            texts.Add(($"span {span.DisplayName} status", span.StatusDescription ?? ""));
            texts.AddRange(span.TagObjects.Select(t => ($"span {span.DisplayName} {t.Key}", t.Value?.ToString() ?? "")));
            texts.AddRange(span.Events.SelectMany(e => e.Tags.Select(t => ($"span {span.DisplayName} event {e.Name} {t.Key}", t.Value?.ToString() ?? ""))));
            texts.AddRange(span.Baggage.Select(b => ($"span {span.DisplayName} baggage {b.Key}", b.Value ?? "")));
        }

        foreach (var log in logs)
        {
            texts.Add(($"log {log.CategoryName}", log.FormattedMessage ?? ""));
            texts.Add(($"log {log.CategoryName} body", log.Body ?? ""));
            texts.Add(($"log {log.CategoryName} exception", log.Exception?.ToString() ?? ""));
            texts.AddRange((log.Attributes ?? []).Select(a => ($"log {log.CategoryName} {a.Key}", a.Value?.ToString() ?? "")));
        }

        foreach (var metric in metrics)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var tag in point.Tags)
                {
                    texts.Add(($"metric {metric.Name} {tag.Key}", tag.Value?.ToString() ?? ""));
                }
            }
        }

        return texts;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); !await condition(); await Task.Delay(200))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the journey did not finish");
        }
    }
}
