using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Audit;
using PayByLink.Core.Domain;
using PayByLink.Core.Reporting;
using PayByLink.Core.Staff;
using PayByLink.Http;
using PayByLink.StaffConsole.Pages;

namespace PayByLink.StaffConsole;

/// <summary>
/// The admin's audit: who did what to the account and when (sign-ins, keys, users, webhooks, settings, batches
/// confirmed or stopped, exports), for days of the merchant's zone, filtered by area and by person, and exported as CSV.
/// </summary>
public static class AuditPages
{
    /// <summary>The most entries a page shows; the export has them all.</summary>
    public const int Shown = 500;

    public static RouteGroupBuilder MapAuditPages(this RouteGroupBuilder console)
    {
        console.MapGet(ConsoleRoutes.AdminAudit, Show).Requires(StaffRole.Admin);
        console.MapGet(ConsoleRoutes.AdminAuditCsv, Export).Requires(StaffRole.Admin);
        return console;
    }

    /// <summary>The filters as given: days (the last 7 when absent), an area, and part of a person's email or a key's id.</summary>
    public sealed record AuditFilter(string? From, string? To, string? Area, string? Who)
    {
        public bool Matches(AuditEntry entry) =>
            (string.IsNullOrEmpty(Area) || AuditActions.AreaOf(entry.Action) == Area) &&
            (string.IsNullOrEmpty(Who) || entry.Actor.Id.Contains(Who.Trim(), StringComparison.OrdinalIgnoreCase));

        public string Query => $"from={Uri.EscapeDataString(From ?? "")}&to={Uri.EscapeDataString(To ?? "")}&area={Uri.EscapeDataString(Area ?? "")}&who={Uri.EscapeDataString(Who ?? "")}";
    }

    private static async Task<IResult> Show(HttpContext http, string? from, string? to, string? area, string? who, IAuditLog audit, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var filter = new AuditFilter(from, to, area, who);
        var range = StatsRange.Parse(user.Merchant!, from, to, clock.GetUtcNow());
        if (range.Value is not { } days)
        {
            return ConsolePages.Render<AuditPage>(new { User = user, Filter = filter, Errors = range.Errors }, StatusCodes.Status400BadRequest);
        }

        var entries = new List<AuditEntry>();
        await foreach (var entry in Entries(user.Merchant!, days, filter, audit, cancellationToken))
        {
            entries.Add(entry);
            if (entries.Count == Shown)
            {
                break;
            }
        }

        return ConsolePages.Render<AuditPage>(new
        {
            User = user, Filter = filter with { From = StatsRange.Text(days.From), To = StatsRange.Text(days.To) }, Entries = entries,
        });
    }

    private static async Task<IResult> Export(HttpContext http, string? from, string? to, string? area, string? who, IAuditLog audit, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var merchant = user.Merchant!;
        var filter = new AuditFilter(from, to, area, who);
        if (StatsRange.Parse(merchant, from, to, clock.GetUtcNow()).Value is not { } days)
        {
            return Results.Redirect($"{ConsoleRoutes.AdminAudit}?{filter.Query}");
        }

        await http.RecordAsync(AuditActions.Exported, "audit", $"{StatsRange.Text(days.From)} to {StatsRange.Text(days.To)}");
        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(false));
            await writer.WriteAsync(CsvRows.Row(["At", "Who", "Name", "Action", "Subject", "Detail"]));
            await foreach (var e in Entries(merchant, days, filter, audit, cancellationToken))
            {
                await writer.WriteAsync(CsvRows.Row([e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                    e.Actor.Id, e.Actor.Name, e.Action, e.Subject, e.Detail ?? ""]));
            }
        }, "text/csv; charset=utf-8", $"audit-{StatsRange.Text(days.From)}-{StatsRange.Text(days.To)}.csv");
    }

    private static IAsyncEnumerable<AuditEntry> Entries(Merchant merchant, StatsRange days, AuditFilter filter, IAuditLog audit,
        CancellationToken cancellationToken) =>
        audit.ListAsync(merchant.Id, merchant.AtLocal(days.From, TimeOnly.MinValue), merchant.AtLocal(days.To.AddDays(1), TimeOnly.MinValue), cancellationToken)
            .Where(filter.Matches);
}
