namespace PayByLink.Core.Audit;

/// <summary>The actions the audit records, by area.</summary>
public static class AuditActions
{
    public const string SignedIn = "console.signed_in";
    public const string KeyIssued = "key.issued";
    public const string KeyRevoked = "key.revoked";
    public const string UserAdded = "user.added";
    public const string UserRoleChanged = "user.role_changed";
    public const string UserRemoved = "user.removed";
    public const string WebhookRegistered = "webhook.registered";
    public const string WebhookEnabled = "webhook.enabled";
    public const string WebhookDisabled = "webhook.disabled";
    public const string WebhookSecretRotated = "webhook.secret_rotated";
    public const string WebhookDeleted = "webhook.deleted";
    public const string EventRedelivered = "webhook.redelivered";
    public const string OptOutAdded = "opt_out.added";
    public const string OptOutRemoved = "opt_out.removed";
    public const string SettingsChanged = "settings.changed";
    public const string BatchConfirmed = "batch.confirmed";
    public const string BatchStopped = "batch.stopped";
    public const string Exported = "export";

    /// <summary>The areas the audit page filters by: an action's text before its dot.</summary>
    public static readonly IReadOnlyList<string> Areas = ["console", "key", "user", "webhook", "opt_out", "settings", "batch", "export"];

    public static string AreaOf(string action) => action.Split('.')[0];
}
