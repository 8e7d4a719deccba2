namespace PayByLink.StaffConsole;

/// <summary>The console's routes, from the site root: part of the product, like the API's.</summary>
public static class ConsoleRoutes
{
    public const string Home = "/console";
    public const string SignIn = "/console/sign-in";
    public const string SignOut = "/console/sign-out";
    public const string DevSignIn = "/console/dev/sign-in";
    public const string OidcCallback = "/console/signin-oidc";
    public const string OidcSignedOut = "/console/signout-oidc";
    public const string Requests = "/console/requests";
    public const string RequestsCsv = "/console/requests.csv";
    public const string NewRequest = "/console/requests/new";
    public const string Request = "/console/requests/{requestId}";
    public const string RequestProgress = "/console/requests/{requestId}/progress";
    public const string ResendRequest = "/console/requests/{requestId}/resend";
    public const string CancelRequest = "/console/requests/{requestId}/cancel";
    public const string Dashboard = "/console/dashboard";
    public const string Batches = "/console/batches";
    public const string NewBatch = "/console/batches/new";
    public const string BatchUploadUrl = "/console/batches/upload-url";
    public const string Batch = "/console/batches/{batchId}";
    public const string BatchUploaded = "/console/batches/{batchId}/uploaded";
    public const string ConfirmBatch = "/console/batches/{batchId}/confirm";
    public const string StopBatch = "/console/batches/{batchId}/stop";
    public const string BatchProgress = "/console/batches/{batchId}/progress";
    public const string BatchFailedRecords = "/console/batches/{batchId}/failed-records.csv";
    public const string AdminUsers = "/console/admin/users";
    public const string RemoveUser = "/console/admin/users/remove";
    public const string AdminKeys = "/console/admin/keys";
    public const string RevokeKey = "/console/admin/keys/{keyId}/revoke";
    public const string AdminWebhooks = "/console/admin/webhooks";
    public const string AdminWebhook = "/console/admin/webhooks/{endpointId}";
    public const string WebhookAction = "/console/admin/webhooks/{endpointId}/{action:regex(^(enable|disable|rotate|redeliver)$)}";
    public const string AdminSettings = "/console/admin/settings";
    public const string AdminAudit = "/console/admin/audit";
    public const string AdminAuditCsv = "/console/admin/audit.csv";
    public const string AdminOptOuts = "/console/admin/opt-outs";
    public const string AdminOptOutsCsv = "/console/admin/opt-outs.csv";
    public const string RemoveOptOut = "/console/admin/opt-outs/remove";
    public const string Stylesheet = "/console/assets/console.css";
    public const string Script = "/console/assets/console.js";

    public static string RequestPage(string requestId) => $"{Requests}/{Uri.EscapeDataString(requestId)}";

    public static string BatchPage(string batchId) => $"{Batches}/{Uri.EscapeDataString(batchId)}";

    public static string WebhookPage(string endpointId, string? action = null) =>
        $"{AdminWebhooks}/{Uri.EscapeDataString(endpointId)}{(action is null ? "" : "/" + action)}";

    /// <summary>A route of one batch: <paramref name="route"/> with its id.</summary>
    public static string ForBatch(string route, string batchId) => route.Replace("{batchId}", Uri.EscapeDataString(batchId));

    /// <summary>A return address the sign-in may send the browser back to: a console path on this site, nothing else.</summary>
    public static string SafeReturn(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith(Home, StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) &&
        !url.Contains('\\') && Uri.TryCreate(url, UriKind.Relative, out _)
            ? url
            : Home;
}
