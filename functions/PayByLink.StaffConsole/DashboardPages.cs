using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Domain;
using PayByLink.Core.Reporting;
using PayByLink.Core.Staff;
using PayByLink.StaffConsole.Pages;

namespace PayByLink.StaffConsole;

/// <summary>
/// The dashboard: the merchant's figures for today, the last 7 or 30 days, or days chosen, read as the API's
/// <c>/api/v1/stats</c> reads them (one read a day of the range).
/// </summary>
public static class DashboardPages
{
    public static RouteGroupBuilder MapDashboardPages(this RouteGroupBuilder console)
    {
        console.MapGet(ConsoleRoutes.Dashboard, Show).Requires(StaffRole.Viewer);
        return console;
    }

    private static async Task<IResult> Show(HttpContext http, string? days, string? from, string? to, MerchantStats stats, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var merchant = user.Merchant!;
        var now = clock.GetUtcNow();
        var custom = !string.IsNullOrEmpty(from) || !string.IsNullOrEmpty(to);
        var chosen = custom ? StatsRange.Parse(merchant, from, to, now)
            : ValidationResult<StatsRange>.Valid(StatsRange.Last(merchant, days switch { "1" => 1, "30" => 30, _ => StatsRange.DefaultDays }, now));
        if (chosen.Value is not { } range)
        {
            return ConsolePages.Render<DashboardPage>(new { User = user, From = from, To = to, Errors = chosen.Errors }, StatusCodes.Status400BadRequest);
        }

        var report = await stats.ReadAsync(merchant, range.From, range.To, cancellationToken);
        return ConsolePages.Render<DashboardPage>(new
        {
            User = user, Report = report, Chosen = custom ? "custom" : range.Days.ToString(System.Globalization.CultureInfo.InvariantCulture),
            From = StatsRange.Text(range.From), To = StatsRange.Text(range.To),
        });
    }
}
