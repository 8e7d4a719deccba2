using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PayByLink.Adapters;
using PayByLink.Http.Batches;
using PayByLink.Http.PaymentRequests;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddPayByLink(builder.Configuration);
builder.Services.AddSingleton<PaymentRequestServices>();
builder.Services.AddSingleton<BatchServices>();
builder.Build().Run();
