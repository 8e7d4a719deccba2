using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using PayByLink.Adapters;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddPayByLink(builder.Configuration);
builder.Build().Run();
