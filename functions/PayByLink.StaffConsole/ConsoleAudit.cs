using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PayByLink.Core.Audit;

namespace PayByLink.StaffConsole;

/// <summary>Records what the signed-in person did to the account, in the audit the admin's audit page reads.</summary>
public static class ConsoleAudit
{
    public static Task RecordAsync(this HttpContext http, string action, string subject, string? detail = null)
    {
        var user = http.ConsoleUser();
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        return http.RequestServices.GetRequiredService<IAuditLog>().AddAsync(
            new AuditEntry(user.Merchant!.Id, clock.GetUtcNow(), user.Actor, action, subject, detail), http.RequestAborted);
    }
}
