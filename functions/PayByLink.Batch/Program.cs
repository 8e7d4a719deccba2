using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using PayByLink.Adapters;
using PayByLink.Http;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddPayByLink(builder.Configuration);
builder.Services.AddPayByLinkEventBodies();
builder.Services.AddPayByLinkTelemetry(builder.Configuration, "paybylink-batch").UseFunctionsWorkerDefaults();
builder.Build().Run();
