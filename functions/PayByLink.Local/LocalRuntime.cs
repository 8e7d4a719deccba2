using PayByLink.Core.Delivery;
using PayByLink.Adapters;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Merchants;
using PayByLink.Core.Ports;
using PayByLink.Http;
using PayByLink.Adapters.Payments;
using PayByLink.Http.Batches;
using PayByLink.Http.Carrier;
using PayByLink.Http.Events;
using PayByLink.Http.Erasures;
using PayByLink.Http.Reporting;
using PayByLink.Http.Suppressions;
using PayByLink.Http.Pages;
using PayByLink.Http.PaymentRequests;
using OpenTelemetry.Trace;
using PayByLink.StaffConsole;
using Scalar.AspNetCore;

namespace PayByLink.Local;

/// <summary>
/// The whole suite in one process on this machine: the same HTTP handlers and use cases the function apps
/// run, on Azurite, with Storage Queues standing in for Service Bus.
/// </summary>
public sealed class LocalRuntime : IAsyncDisposable
{
    public const string DefaultUrl = "http://localhost:7071";

    private readonly Azurite? _azurite;
    private readonly DataFolderLock? _folderLock;

    private LocalRuntime(WebApplication app, Azurite? azurite, DataFolderLock? folderLock, string baseUrl, string dataFolder)
    {
        App = app;
        _azurite = azurite;
        _folderLock = folderLock;
        BaseUrl = baseUrl;
        DataFolder = dataFolder;
    }

    /// <summary>Where Azurite's data (when started here) and the development key are kept.</summary>
    public string DataFolder { get; }

    public WebApplication App { get; }

    public string BaseUrl { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Builds the runtime: storage resolved (Azurite started if needed), tables and queues created.</summary>
    public static async Task<LocalRuntime> CreateAsync(string[] args, CancellationToken cancellationToken = default) =>
        await CreateAsync(args, _ => { }, cancellationToken);

    /// <summary>As <see cref="CreateAsync(string[], CancellationToken)"/>, with a last say over the services (tests swap providers).</summary>
    public static async Task<LocalRuntime> CreateAsync(string[] args, Action<IServiceCollection> configureServices,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            urls = DefaultUrl;
            builder.WebHost.UseUrls(urls);
        }

        // No request body this runtime reads is over 64 KB (a batch file goes straight to storage): refuse a large one at once.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1024 * 1024);
        var baseUrl = urls.Split(';')[0].Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost").TrimEnd('/');
        if (string.IsNullOrWhiteSpace(builder.Configuration[PaymentGateways.GatewaySetting]))
        {
            builder.Configuration[PaymentGateways.GatewaySetting] = TestPaymentGateway.ProviderName;
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{PayByLinkOptions.Section}:PublicBaseUrl"]))
        {
            builder.Configuration[$"{PayByLinkOptions.Section}:PublicBaseUrl"] = baseUrl;
        }

        // Locally, webhooks may go to http and to this machine, and the first retry comes within 30 seconds.
        builder.Configuration["Webhooks:LocalRuntime"] ??= "true";
        builder.Configuration["Webhooks:FirstRetry"] ??= "00:00:10";

        // The carrier events endpoint takes the local carrier's reports in-process; a caller over HTTP needs this key.
        builder.Configuration[CarrierEvents.KeySetting] ??= Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

        // Stored secrets are encrypted with a key of the data folder's (or the given storage's) unless one is set.
        LocalSecrets.EnsureKey(builder.Configuration);

        var (azurite, folderLock) = await LocalStorage.ResolveForRuntimeAsync(builder.Configuration, baseUrl, cancellationToken);
        try
        {
            builder.Services.AddPayByLink(builder.Configuration);
            builder.Services.AddPayByLinkHttp();
            builder.Services.AddPayByLinkConsole(builder.Configuration);
            builder.Services.AddPayByLinkTelemetry(builder.Configuration, "paybylink-local")
                .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation());
            builder.Services.AddSingleton<TableOutbox>();
            builder.Services.AddSingleton<DevWebhookInbox>();
            using (var hostJson = typeof(LocalRuntime).Assembly.GetManifestResourceStream(QueueTriggerSettings.BatchHostJson)!)
            {
                builder.Services.AddSingleton(QueueTriggerSettings.FromHostJson(hostJson));
            }

            builder.Services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<TableOutbox>());
            builder.Services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<TableOutbox>());
            if (builder.Configuration.GetValue("Local:Senders", true))
            {
                foreach (var queue in StorageNames.SendQueues)
                {
                    builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<SendQueueWorker>(sp, queue));
                }
            }

            if (builder.Configuration.GetValue("Local:Carrier", true))
            {
                builder.Services.AddHostedService<DevCarrier>();
            }

            if (builder.Configuration.GetValue("Local:Webhooks", true))
            {
                builder.Services.AddHostedService<WebhookWorker>();
            }

            if (builder.Configuration.GetValue("Local:Batches", true))
            {
                builder.Services.AddHostedService<BatchWorker>();
                var chunkWorkers = builder.Configuration.GetValue("Local:ChunkWorkers", 2);
                builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<ChunkWorker>(sp, chunkWorkers));
            }

            if (builder.Configuration.GetValue("Local:Schedule", true))
            {
                var interval = builder.Configuration.GetValue("Local:ScheduleInterval", TimeSpan.FromSeconds(15));
                builder.Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<ScheduleTimer>(sp, interval));
            }
            builder.Services.AddPayByLinkOpenApi();

            configureServices(builder.Services);
            var app = builder.Build();
            app.Use((http, next) =>
            {
                TransportSecurity.OnEveryAnswer(http.Response);
                return next(http);
            });
            app.UseExceptionHandler();
            app.UseStatusCodePages();
            app.Use(async (http, next) =>
            {
                // One deadline for all the storage calls an HTTP call makes, as the Api app's middleware sets it.
                using var deadline = CallDeadline.Start(http.RequestServices.GetRequiredService<TimeProvider>(), CallDeadline.ForApiCall);
                await next(http);
            });
            app.UsePayByLinkConsole();
            app.MapOpenApi();
            app.MapScalarApiReference(o => o.DisableDefaultFonts().DisableTelemetry().DisableAgent().DisableMcp()
                .AddPreferredSecuritySchemes(ApiDocument.SecuritySchemeName)
                .WithCustomCss(ApiDocument.ReferencePageCss));
            app.MapGet("/", () => Results.Redirect("/scalar")).ExcludeFromDescription();

            // Every route passes the merchant key's check, which asks for a key on the routes that need one.
            var site = app.MapGroup("").AddEndpointFilter(MerchantAuthentication.Filter);
            site.MapPaymentRequestsApi();
            site.MapBatchesApi();
            site.MapEventsApi();
            site.MapOptOutsApi();
            site.MapErasuresApi();
            site.MapStatsApi();
            site.MapCarrierEventsApi();
            site.MapHealthApi();
            site.MapPaymentPages();
            site.MapTestGateway();
            app.MapConsole();
            var devTools = site.MapGroup("").AddEndpointFilter(LoopbackOnly.Filter);
            devTools.MapDevOutbox();
            devTools.MapDevWebhooks();

            await app.Services.GetRequiredService<StorageClients>().EnsureCreatedAsync(cancellationToken);
            await app.Services.GetRequiredService<StorageClients>().AllowUploadsFromAsync(LocalOrigins(baseUrl), cancellationToken);
            await app.Services.GetRequiredService<StoredDataProtection>().RunAsync(cancellationToken);
            await app.Services.GetRequiredService<RequestBackfill>().RunAsync(cancellationToken);
            return new LocalRuntime(app, azurite, folderLock, baseUrl, LocalStorage.DataFolder(builder.Configuration));
        }
        catch
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }

            folderLock?.Dispose();
            throw;
        }
    }

    /// <summary>The console's origins: its base URL, by name and by loopback address alike.</summary>
    private static IEnumerable<string> LocalOrigins(string baseUrl)
    {
        var origin = new Uri(baseUrl).GetLeftPart(UriPartial.Authority);
        return new[] { origin, origin.Replace("://localhost", "://127.0.0.1"), origin.Replace("://127.0.0.1", "://localhost") }.Distinct();
    }

    /// <summary>Seeds the development merchant and returns its key.</summary>
    public Task<DevelopmentKey> EnsureDevelopmentMerchantAsync(CancellationToken cancellationToken = default) =>
        DevelopmentMerchant.EnsureAsync(
            Services.GetRequiredService<MerchantAdministration>(),
            Services.GetRequiredService<IMerchantStore>(),
            Path.Combine(DataFolder, "dev-subscription-key"),
            Environment.GetEnvironmentVariable(DevelopmentMerchant.KeyVariable),
            cancellationToken);

    /// <summary>Whether this runtime started the Azurite it uses (and so stops it, saving its data, when it stops).</summary>
    public bool StartedAzurite => _azurite?.Started == true;

    public string StorageDescription => _azurite is null
        ? "the configured PayByLinkStorage"
        : $"Azurite on 127.0.0.1 (blob {_azurite.BlobPort}, queue {_azurite.QueuePort}, table {_azurite.TablePort})" +
          (_azurite.Started ? $", data in {DataFolder}" : ", already running");

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        _folderLock?.Dispose();
    }
}
