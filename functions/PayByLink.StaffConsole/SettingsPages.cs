using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PayByLink.Core.Audit;
using PayByLink.Core.Domain;
using PayByLink.Core.Limits;
using PayByLink.Core.Merchants;
using PayByLink.Core.PaymentRequests;
using PayByLink.Core.Staff;
using PayByLink.StaffConsole.Pages;

namespace PayByLink.StaffConsole;

/// <summary>
/// The admin's settings: the name customers see, the time zone, quiet hours, default reminders and the message
/// wording (previewed on a sample request, with its SMS segments, before it is saved); the platform's limits shown,
/// not changed.
/// </summary>
public static class SettingsPages
{
    /// <summary>The request the wording is previewed on.</summary>
    private static PaymentRequestInput Sample(Merchant merchant) => new()
    {
        ClientTransactionRef = "PREVIEW-1", Amount = 120.50m, AccountReference = "ACC-42", Reason = "Invoice 1001", Passphrase = "blue heron",
        Customer = new CustomerInput { FirstName = "Jane", LastName = "Smith", MobileNumber = "07700 900123", Email = "jane@example.com" },
    };

    public static RouteGroupBuilder MapSettingsPages(this RouteGroupBuilder console)
    {
        console.MapGet(ConsoleRoutes.AdminSettings, Show).Requires(StaffRole.Admin);
        console.MapPost(ConsoleRoutes.AdminSettings, Save).Requires(StaffRole.Admin);
        return console;
    }

    private static IResult Show(HttpContext http, string? done, PlatformLimits platform, PreviewPaymentRequest preview)
    {
        var user = http.ConsoleUser();
        return Render(user, platform, UpdateMerchantSettings.InputOf(user.Merchant!), [], preview.Execute(user.Merchant!, Sample(user.Merchant!)).Value,
            done is null ? null : "The settings are saved: messages sent from now on use them.");
    }

    /// <summary>"Preview" shows the wording on a sample request; "Save" keeps the settings. Both check every field first.</summary>
    private static async Task<IResult> Save(HttpContext http, UpdateMerchantSettings settings, PlatformLimits platform, PreviewPaymentRequest preview,
        CancellationToken cancellationToken)
    {
        var user = http.ConsoleUser();
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var input = new MerchantSettingsInput(form["displayName"], form["timeZone"], form["quietFrom"], form["quietUntil"], form["remindEveryDays"],
            form["remindMax"], form["smsTemplate"], form["emailIntro"]);
        var changed = UpdateMerchantSettings.Apply(user.Merchant!, input);
        if (changed.Value is not { } merchant)
        {
            return Render(user, platform, input, changed.Errors, null, null, StatusCodes.Status400BadRequest);
        }

        if (form["action"] != "save")
        {
            return Render(user, platform, input, [], preview.Execute(merchant, Sample(merchant)).Value, null);
        }

        await settings.ExecuteAsync(user.Merchant!, input, cancellationToken);
        await http.RecordAsync(AuditActions.SettingsChanged, user.Merchant!.Id);
        return Results.Redirect($"{ConsoleRoutes.AdminSettings}?done=saved");
    }

    private static IResult Render(ConsoleUser user, PlatformLimits platform, MerchantSettingsInput input, IReadOnlyList<FieldError> errors,
        MessagePreview? preview, string? notice, int statusCode = StatusCodes.Status200OK) =>
        ConsolePages.Render<SettingsPage>(new
        {
            User = user, Input = input, Errors = errors, Preview = preview, Notice = notice, Limits = platform.For(user.Merchant!),
        }, statusCode);
}
