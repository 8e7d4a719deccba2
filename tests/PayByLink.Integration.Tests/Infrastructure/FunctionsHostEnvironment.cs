using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>
/// The web host environment the Functions worker's ASP.NET Core integration gives its services (it runs a web host),
/// for tests that build the Api app's services without the worker.
/// </summary>
public sealed class FunctionsHostEnvironment : IWebHostEnvironment
{
    public string ApplicationName { get; set; } = "PayByLink.Api";
    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
    public string EnvironmentName { get; set; } = "Production";
    public string WebRootPath { get; set; } = AppContext.BaseDirectory;
    public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
}
