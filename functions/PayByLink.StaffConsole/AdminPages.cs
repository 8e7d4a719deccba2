using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Audit;
using PayByLink.Core.Domain;
using PayByLink.Core.Merchants;
using PayByLink.Core.Staff;
using PayByLink.StaffConsole.Pages;

namespace PayByLink.StaffConsole;

/// <summary>
/// The admin's pages: the merchant's console users and their roles, through the same use case as the <c>user</c>
/// commands (a merchant always keeps one admin).
/// </summary>
public static class AdminPages
{
    public static RouteGroupBuilder MapAdminPages(this RouteGroupBuilder console)
    {
        console.MapGet(ConsoleRoutes.AdminUsers, Users).Requires(StaffRole.Admin);
        console.MapPost(ConsoleRoutes.AdminUsers, SaveUser).Requires(StaffRole.Admin);
        console.MapPost(ConsoleRoutes.RemoveUser, RemoveUser).Requires(StaffRole.Admin);
        return console;
    }

    private static async Task<IResult> Users(HttpContext http, string? done, StaffAdministration staff, CancellationToken cancellationToken) =>
        await UsersPageAsync(http.ConsoleUser(), staff, done switch
        {
            "added" => "The user is added: they can sign in now.",
            "changed" => "The role is changed: it counts from their next page.",
            "removed" => "The user is removed: their next page shuts them out.",
            _ => null,
        }, [], StatusCodes.Status200OK, cancellationToken);

    /// <summary>Adds a user, or changes the role of one already there.</summary>
    private static async Task<IResult> SaveUser(HttpContext http, StaffAdministration staff, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var email = form["email"].ToString().Trim();
        var existing = (await staff.ListAsync(user.Merchant!.Id, cancellationToken)).Any(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase));
        try
        {
            await staff.AddAsync(user.Merchant.Id, email, form["role"].ToString(), cancellationToken);
            await http.RecordAsync(existing ? AuditActions.UserRoleChanged : AuditActions.UserAdded, email.ToLowerInvariant(), form["role"].ToString());
            return Results.Redirect($"{ConsoleRoutes.AdminUsers}?done={(existing ? "changed" : "added")}");
        }
        catch (MerchantAdministrationException e)
        {
            return await UsersPageAsync(user, staff, null, [new FieldError(existing ? "users" : "email", "refused", e.Message)],
                StatusCodes.Status400BadRequest, cancellationToken);
        }
    }

    private static async Task<IResult> RemoveUser(HttpContext http, StaffAdministration staff, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var form = await http.Request.ReadFormAsync(cancellationToken);
        try
        {
            await staff.RemoveAsync(user.Merchant!.Id, form["email"].ToString(), cancellationToken);
            await http.RecordAsync(AuditActions.UserRemoved, form["email"].ToString().Trim().ToLowerInvariant());
            return Results.Redirect($"{ConsoleRoutes.AdminUsers}?done=removed");
        }
        catch (MerchantAdministrationException e)
        {
            return await UsersPageAsync(user, staff, null, [new FieldError("users", "refused", e.Message)], StatusCodes.Status400BadRequest,
                cancellationToken);
        }
    }

    private static async Task<IResult> UsersPageAsync(ConsoleUser user, StaffAdministration staff, string? notice, IReadOnlyList<FieldError> errors,
        int statusCode, CancellationToken cancellationToken) =>
        ConsolePages.Render<UsersPage>(new
        {
            User = user, Members = await staff.ListAsync(user.Merchant!.Id, cancellationToken), Notice = notice, Errors = errors,
        }, statusCode);
}
