using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using PayByLink.Adapters;
using PayByLink.Api;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<TransportSecurityMiddleware>();
builder.UseMiddleware<HttpFailureMiddleware>();
builder.UseMiddleware<MerchantAuthenticationMiddleware>();
builder.Services.AddApiApp(builder.Configuration);
builder.Services.AddPayByLinkTelemetry(builder.Configuration, "paybylink-api").UseFunctionsWorkerDefaults();
builder.Build().Run();
