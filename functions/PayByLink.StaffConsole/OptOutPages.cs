using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Delivery;
using PayByLink.Core.Domain;
using PayByLink.Core.Ports;
using PayByLink.Core.Staff;
using PayByLink.Http;
using PayByLink.StaffConsole.Pages;

namespace PayByLink.StaffConsole;

/// <summary>
/// The admin's opt-out list, through the API's own use case: find a recipient, add one, take off the merchant's own
/// entries (never a customer's STOP or unsubscribe), and export the list.
/// </summary>
public static class OptOutPages
{
    private const int PageSize = 50;

    public static RouteGroupBuilder MapOptOutPages(this RouteGroupBuilder console)
    {
        console.MapGet(ConsoleRoutes.AdminOptOuts, List).Requires(StaffRole.Admin);
        console.MapPost(ConsoleRoutes.AdminOptOuts, Add).Requires(StaffRole.Admin);
        console.MapPost(ConsoleRoutes.RemoveOptOut, Remove).Requires(StaffRole.Admin);
        console.MapGet(ConsoleRoutes.AdminOptOutsCsv, Export).Requires(StaffRole.Admin);
        return console;
    }

    /// <summary>The list, a page at a time; or, with <c>find</c>, the one entry for that mobile number or email.</summary>
    private static async Task<IResult> List(HttpContext http, string? find, string? page, string? done, OptOuts optOuts, CancellationToken cancellationToken) =>
        await PageAsync(http.ConsoleUser(), optOuts, find, page, done switch
        {
            "added" => "Added: nothing more is sent to them.",
            "removed" => "Taken off the list: they can be sent to again.",
            _ => null,
        }, [], cancellationToken);

    private static async Task<IResult> Add(HttpContext http, OptOuts optOuts, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var recipient = (await http.Request.ReadFormAsync(cancellationToken))["recipient"].ToString().Trim();
        var result = await optOuts.AddAsync(user.Merchant!, Input(recipient), cancellationToken);
        return result.IsValid
            ? Results.Redirect($"{ConsoleRoutes.AdminOptOuts}?done=added")
            : await PageAsync(user, optOuts, null, null, null, result.Errors.Select(e => e with { Field = "recipient" }).ToList(), cancellationToken);
    }

    private static async Task<IResult> Remove(HttpContext http, OptOuts optOuts, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var recipient = (await http.Request.ReadFormAsync(cancellationToken))["recipient"].ToString().Trim();
        var input = Input(recipient);
        var result = await optOuts.RemoveAsync(user.Merchant!, input.MobileNumber, input.Email, cancellationToken);
        var problem = !result.IsValid ? string.Join(" ", result.Errors.Select(e => e.Message)) : result.Value!.Outcome switch
        {
            OptOutRemoval.Removed => null,
            OptOutRemoval.NotFound => $"{recipient} is not on the list.",
            _ => result.Value.OptOut!.Source == OptOutSource.Stop
                ? $"{recipient} texted STOP: only their START lifts it."
                : $"{recipient} unsubscribed with one click: it cannot be taken off.",
        };
        return problem is null
            ? Results.Redirect($"{ConsoleRoutes.AdminOptOuts}?done=removed")
            : await PageAsync(user, optOuts, null, null, null, [new FieldError("optouts", "refused", problem)], cancellationToken);
    }

    /// <summary>The whole list as a CSV file, written a page at a time, formula-safe.</summary>
    private static async Task<IResult> Export(HttpContext http, OptOuts optOuts, CancellationToken cancellationToken)
    {
        var merchant = http.ConsoleUser().Merchant!;
        await http.RecordAsync(Core.Audit.AuditActions.Exported, "opt-outs");
        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(false));
            await writer.WriteAsync(CsvRows.Row(["Channel", "Recipient", "Source", "Added"]));
            string? token = null;
            do
            {
                var page = await optOuts.ListAsync(merchant.Id, Paging.MaxPageSize, token, cancellationToken);
                foreach (var o in page.Items)
                {
                    await writer.WriteAsync(CsvRows.Row([o.Channel.Name(), o.Recipient, o.Source.ToString().ToLowerInvariant(), merchant.LocalTime(o.CreatedAt)]));
                }

                token = page.ContinuationToken;
            }
            while (token is not null);
        }, "text/csv; charset=utf-8", $"opt-outs-{merchant.Id}.csv");
    }

    /// <summary>A recipient as a person types it: an email has an @, anything else is a mobile number.</summary>
    private static OptOutInput Input(string recipient) => recipient.Contains('@') ? new OptOutInput(null, recipient) : new OptOutInput(recipient, null);

    private static async Task<IResult> PageAsync(ConsoleUser user, OptOuts optOuts, string? find, string? page, string? notice,
        IReadOnlyList<FieldError> errors, CancellationToken cancellationToken)
    {
        var merchant = user.Merchant!;
        IReadOnlyList<OptOut> items;
        string? next = null;
        if (find is { Length: > 0 })
        {
            // Read as the list keeps a recipient (E.164, or an email lower-cased); what does not read as either is on no list.
            var input = Input(find.Trim());
            items = OptOuts.Parse(merchant, input.MobileNumber, input.Email).Value is { } wanted &&
                    await optOuts.FindAsync(merchant.Id, wanted.Channel, wanted.Recipient, null, cancellationToken) is { } found
                ? [found]
                : [];
        }
        else
        {
            try
            {
                var listed = await optOuts.ListAsync(merchant.Id, PageSize, page, cancellationToken);
                (items, next) = (listed.Items, listed.ContinuationToken);
            }
            catch (InvalidContinuationTokenException)
            {
                (items, errors) = ([], [.. errors, new FieldError("optouts", "invalid_continuation_token", "That page of the list no longer exists.")]);
            }
        }

        return ConsolePages.Render<OptOutsPage>(new { User = user, Items = items, Next = next, Find = find, Notice = notice, Errors = errors },
            errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }
}
