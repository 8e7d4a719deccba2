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
/// The admin's API keys: issue one (shown once, with a copy button; only its hash is kept), list them with when each
/// was last used, and revoke one after a confirmation, through the same use case as the <c>key</c> commands.
/// </summary>
public static class KeyPages
{
    public static RouteGroupBuilder MapKeyPages(this RouteGroupBuilder console)
    {
        console.MapGet(ConsoleRoutes.AdminKeys, List).Requires(StaffRole.Admin);
        console.MapPost(ConsoleRoutes.AdminKeys, Issue).Requires(StaffRole.Admin);
        console.MapGet(ConsoleRoutes.RevokeKey, ConfirmRevoke).Requires(StaffRole.Admin);
        console.MapPost(ConsoleRoutes.RevokeKey, Revoke).Requires(StaffRole.Admin);
        return console;
    }

    private static async Task<IResult> List(HttpContext http, string? done, MerchantAdministration admin, CancellationToken cancellationToken) =>
        await PageAsync(http.ConsoleUser(), admin, null, done == "revoked" ? "The key is revoked: calls with it are refused from now on." : null, [],
            cancellationToken);

    private static async Task<IResult> Issue(HttpContext http, MerchantAdministration admin, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        try
        {
            var (key, record) = await admin.IssueKeyAsync(user.Merchant!.Id, cancellationToken);
            await http.RecordAsync(AuditActions.KeyIssued, record.KeyId);
            return await PageAsync(user, admin, key, null, [], cancellationToken);
        }
        catch (MerchantAdministrationException e)
        {
            return await PageAsync(user, admin, null, null, [new FieldError("keys", "refused", e.Message)], cancellationToken, StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> ConfirmRevoke(HttpContext http, string keyId, MerchantAdministration admin, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        return (await admin.ListKeysAsync(user.Merchant!.Id, cancellationToken)).FirstOrDefault(k => k.KeyId == keyId) is { IsActive: true } key
            ? ConsolePages.Render<RevokeKeyPage>(new { User = user, Key = key })
            : ConsolePages.NotFound(user);
    }

    private static async Task<IResult> Revoke(HttpContext http, string keyId, MerchantAdministration admin, CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        try
        {
            await admin.RevokeKeyAsync(user.Merchant!.Id, keyId, cancellationToken);
        }
        catch (MerchantAdministrationException)
        {
            return ConsolePages.NotFound(user);
        }

        await http.RecordAsync(AuditActions.KeyRevoked, keyId);
        return Results.Redirect($"{ConsoleRoutes.AdminKeys}?done=revoked");
    }

    private static async Task<IResult> PageAsync(ConsoleUser user, MerchantAdministration admin, string? issued, string? notice,
        IReadOnlyList<FieldError> errors, CancellationToken cancellationToken, int statusCode = StatusCodes.Status200OK) =>
        ConsolePages.Render<KeysPage>(new
        {
            User = user, Keys = await admin.ListKeysAsync(user.Merchant!.Id, cancellationToken), Issued = issued, Notice = notice, Errors = errors,
        }, statusCode);
}
