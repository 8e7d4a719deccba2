using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using PayByLink.Adapters;
using PayByLink.Batch;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddBatchApp(builder.Configuration);
builder.Services.AddPayByLinkTelemetry(builder.Configuration, "paybylink-batch").UseFunctionsWorkerDefaults();
builder.Build().Run();
