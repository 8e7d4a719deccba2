using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using PayByLink.Core.Domain;
using PayByLink.Core.Reporting;

namespace PayByLink.Http.Reporting;

/// <summary>A merchant's figures by day, from counters kept as changes happen: one storage read a day of the range.</summary>
public static class StatsApi
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/").WithTags("Stats").MapGet(ApiRoutes.Stats, Get).WithName("GetStats")
            .WithSummary("Get the merchant's figures for a range of days")
            .WithDescription("Links sent by channel, delivered, opened, paid, money collected by currency and conversion from sent to paid, " +
                $"in total and day by day, for days of the merchant's time zone. The last {StatsRange.DefaultDays} days when from and to are absent; " +
                $"at most {MerchantStats.MaxDays} days. Each figure counts a request once, on the day it happened.")
            .WithQueryParameters(
                ApiDocument.Query("from", "The first day, yyyy-MM-dd (the merchant's time zone).", JsonSchemaType.String, "2026-12-01", "date"),
                ApiDocument.Query("to", "The last day, included; today when absent.", JsonSchemaType.String, "2026-12-07", "date"));
        return app;
    }

    public static async Task<Results<Ok<StatsView>, ValidationProblem>> Get(HttpRequest http, MerchantStats stats, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var merchant = http.Merchant();
        var range = StatsRange.Parse(merchant, http.Query["from"].FirstOrDefault(), http.Query["to"].FirstOrDefault(), clock.GetUtcNow());
        if (range.Value is not { } valid)
        {
            return Problems.Validation(range.Errors);
        }

        return TypedResults.Ok(StatsView.Of(await stats.ReadAsync(merchant, valid.From, valid.To, cancellationToken)));
    }
}
