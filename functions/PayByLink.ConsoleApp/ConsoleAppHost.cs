using OpenTelemetry.Trace;
using PayByLink.Adapters;
using PayByLink.Adapters.Storage;
using PayByLink.Core.Ports;
using PayByLink.Http;
using PayByLink.StaffConsole;

namespace PayByLink.ConsoleApp;

/// <summary>
/// The console app: the staff console's routes on ASP.NET Core, with the Api app's use cases (a link sent from the
/// console is made, sent and cancelled exactly as one from the API). A Functions host runs no ASP.NET Core middleware,
/// and the OpenID Connect sign-in needs it (its callback is answered by the authentication middleware), as do the
/// session cookie and the form tokens; so the console is an app of its own, on App Service, in the same azd project.
/// </summary>
public static class ConsoleAppHost
{
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddPayByLinkShared(builder.Configuration).AddPayByLinkApi(builder.Configuration).AddPayByLinkHttp();
        builder.Services.AddPayByLinkConsole(builder.Configuration);
        builder.Services.AddPayByLinkTelemetry(builder.Configuration, "paybylink-console").WithTracing(t => t.AddAspNetCoreInstrumentation());
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.Use((http, next) =>
        {
            TransportSecurity.OnEveryAnswer(http.Response);
            return next(http);
        });
        app.UseExceptionHandler();
        app.Use(async (http, next) =>
        {
            using var deadline = CallDeadline.Start(http.RequestServices.GetRequiredService<TimeProvider>(), CallDeadline.ForApiCall);
            await next(http);
        });
        app.UsePayByLinkConsole();
        app.MapGet("/", () => Results.Redirect(ConsoleRoutes.Home));
        app.MapHealthApi();
        app.MapConsole();
        return app;
    }
}
