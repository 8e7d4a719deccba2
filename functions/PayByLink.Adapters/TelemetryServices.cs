using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PayByLink.Adapters.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PayByLink.Core.Telemetry;

namespace PayByLink.Adapters;

public static class TelemetryServices
{
    /// <summary>Application Insights, by connection string; the apps authenticate to it with their identity.</summary>
    public const string ApplicationInsightsConnection = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Set to true to write traces and metrics to the console (the local runtime does by default).</summary>
    public const string ConsoleSetting = "Telemetry:Console";

    /// <summary>
    /// Set to true to trace every storage, Service Bus and HTTP call as a dependency without Application Insights (as
    /// Azure does with it), for an exporter a host or test adds.
    /// </summary>
    public const string DependenciesSetting = "Telemetry:Dependencies";

    /// <summary>
    /// OpenTelemetry traces, metrics and logs for one app: the suite's own spans and counters, exported to
    /// Application Insights in Azure (with the Azure SDK's calls and outgoing HTTP as dependencies) and to the
    /// console locally. Hosts add the
    /// instrumentation of their own trigger (ASP.NET Core, the Functions worker).
    /// </summary>
    public static OpenTelemetryBuilder AddPayByLinkTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var applicationInsights = configuration[ApplicationInsightsConnection];
        var console = configuration.GetValue(ConsoleSetting, false);
        var dependencies = !string.IsNullOrEmpty(applicationInsights) || configuration.GetValue(DependenciesSetting, false);

        // The framework's own request and HTTP-client logs name every address called, bearer paths and query strings
        // included: only their warnings leave the process.
        services.AddLogging(logging => logging
            .AddFilter<OpenTelemetryLoggerProvider>("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter<OpenTelemetryLoggerProvider>("System.Net.Http.HttpClient", LogLevel.Warning));
        return services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                // First of the processors: every exporter, added after it, sees spans without personal data.
                tracing.AddSource(PayByLinkTelemetry.Name).AddProcessor(new PersonalDataScrubber.Spans());
                if (dependencies)
                {
                    // Every storage, Service Bus and HTTP call as a dependency: too much for a console, where the
                    // local senders poll their queues several times a second.
                    tracing.AddSource("Azure.*").AddHttpClientInstrumentation();
                }

                if (!string.IsNullOrEmpty(applicationInsights))
                {
                    tracing.AddAzureMonitorTraceExporter(o => (o.ConnectionString, o.Credential) = (applicationInsights, AppCredential.Instance));
                }

                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(PayByLinkTelemetry.Name);
                if (!string.IsNullOrEmpty(applicationInsights))
                {
                    metrics.AddAzureMonitorMetricExporter(o => (o.ConnectionString, o.Credential) = (applicationInsights, AppCredential.Instance));
                }
            })
            .WithLogging(logging =>
            {
                logging.AddProcessor(new PersonalDataScrubber.Logs());
                if (!string.IsNullOrEmpty(applicationInsights))
                {
                    logging.AddAzureMonitorLogExporter(o => (o.ConnectionString, o.Credential) = (applicationInsights, AppCredential.Instance));
                }
            });
    }
}
