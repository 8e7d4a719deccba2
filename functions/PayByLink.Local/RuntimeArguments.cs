namespace PayByLink.Local;

/// <summary>
/// How the program reads its arguments: no command (or <c>run</c>) runs the suite, with settings as options
/// (<c>--urls …</c>, <c>--Local:DataFolder=…</c>); any other first word is an admin command. An option that names no
/// setting the runtime reads is refused rather than ignored.
/// </summary>
public static class RuntimeArguments
{
    /// <summary>The settings' top-level names: an option outside them is a typo or a command in the wrong place.</summary>
    private static readonly string[] KnownSettings =
    [
        "urls", "environment", "contentRoot", "PayByLinkStorage", "PayByLink", "Local", "Telemetry", "Logging", "Delivery", "Webhooks",
        "CarrierEvents", "Payments", "Stripe", "TestGateway", "Pages", "Acs", "Limits", "Batches", "Secrets",
    ];

    public static string Sections => string.Join(", ", KnownSettings.Select(s => $"--{s}…"));

    /// <summary>The runtime's arguments when <paramref name="args"/> run it; null when they are an admin command (or help).</summary>
    public static string[]? Command(string[] args) => args switch
    {
        [] => args,
        ["run", .. var rest] => rest,
        ["--help" or "-h", ..] => null,
        [var first, ..] when first.StartsWith("--", StringComparison.Ordinal) => args,
        _ => null,
    };

    /// <summary>The first argument that is not a setting (<c>--name=value</c> or <c>--name value</c>), or null.</summary>
    public static string? Unknown(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return args[i];
            }

            var name = args[i][2..].Split('=', 2)[0];
            if (!KnownSettings.Any(s => name.Equals(s, StringComparison.OrdinalIgnoreCase) ||
                                        name.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase) ||
                                        name.StartsWith(s + "__", StringComparison.OrdinalIgnoreCase)))
            {
                return args[i];
            }

            if (!args[i].Contains('=') && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                i++; // its value
            }
        }

        return null;
    }

    /// <summary>What to check when storage does not answer at start.</summary>
    public static string StorageHint(string[] args) =>
        args.Any(a => a.StartsWith("--PayByLinkStorage", StringComparison.OrdinalIgnoreCase)) ||
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("PayByLinkStorage"))
            ? "Check that the storage account PayByLinkStorage names is running and reachable from here, or leave PayByLinkStorage unset to have Azurite started here."
            : "Check that the Azurite on those ports is running and answering (or stop it, and this program starts one of its own).";
}
